from django.apps import AppConfig


class EmployerSignupConfig(AppConfig):
    name = "jamsos.employer_signup"
    label = "employer_signup"
    verbose_name = "Pendaftaran mandiri pemberi kerja / employer self-registration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jamsos.employer_signup.home import register_panels
        from jamsos.employer_signup.notices import register_kinds

        register_kinds()
        register_panels()
