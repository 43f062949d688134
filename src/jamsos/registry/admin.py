from django.contrib import admin

from jamsos.registry.models import (
    Region,
    RegionBoundary,
    RegionEdition,
    RegionPopulation,
    WorkforceFigure,
)


@admin.register(RegionEdition)
class RegionEditionAdmin(admin.ModelAdmin):
    list_display = ["name", "decree", "is_current", "valid_from", "loaded_at"]
    readonly_fields = ["loaded_at"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "edition"]
    list_filter = ["edition", "level", "kind"]
    search_fields = ["=code", "=code_nodot", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["search_name", "province_code", "regency_code", "district_code"]
    list_select_related = ["edition"]
    show_full_result_count = False


@admin.register(RegionBoundary)
class RegionBoundaryAdmin(admin.ModelAdmin):
    list_display = ["region", "centroid_lat", "centroid_lng", "source"]
    raw_id_fields = ["region"]
    list_select_related = ["region"]
    search_fields = ["=region__code"]


@admin.register(RegionPopulation)
class RegionPopulationAdmin(admin.ModelAdmin):
    list_display = ["region", "period", "total", "male", "female", "area_km2"]
    list_filter = ["period"]
    raw_id_fields = ["region"]
    list_select_related = ["region"]
    search_fields = ["=region__code", "region__name"]


@admin.register(WorkforceFigure)
class WorkforceFigureAdmin(admin.ModelAdmin):
    list_display = ["region", "period", "kind", "count", "confidence", "estimated", "source"]
    list_filter = ["period", "kind", "confidence", "estimated", "region__level"]
    raw_id_fields = ["region"]
    list_select_related = ["region"]
    search_fields = ["=region__code", "region__name"]
