from ninja import NinjaAPI

api = NinjaAPI(title="Jamsos API", version="1", openapi_url="/openapi.json", docs_url="/docs")
