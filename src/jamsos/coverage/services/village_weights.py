"""Weights that split a regency's potential over its villages, from what the data allow.

No population or workforce figure exists below the regency (the shared data carry Dukcapil
population by province and regency only; BPS district and village codes do not join the
Kemendagri ones). What is known for every village is its type: *kelurahan* (urban, run by the
regency) or *desa* (rural; *desa adat* counted as desa). Kelurahan are far more populous: over
the regencies of a province, the registered population is fitted as
``population = a x kelurahan + b x desa`` (least squares, no intercept), which gives the average
persons in a kelurahan (``a``) and in a desa (``b``). A village's share of its regency's
potential is then proportional to ``a`` or ``b``. Where the province's fit is not determined
(one kind of village only, or a coefficient not positive) the fit over all regencies of the
nation is used; without population figures there is no fit and the shares stay equal.

Jawa Barat, for example (Dukcapil December 2024): about 20,300 persons per kelurahan and 6,900 per
desa, so a kelurahan of Kabupaten Bandung gets about three times a desa's share. Set-based:
one Polars pass over the regions, no query per region.
"""

from __future__ import annotations

import polars as pl

#: Relative tolerance under which the normal equations are taken as singular.
_SINGULAR = 1e-9


def _solve(sums: pl.DataFrame) -> pl.DataFrame:
    kk, kd, dd, ky, dy = (pl.col(c) for c in ("kk", "kd", "dd", "ky", "dy"))
    det = kk * dd - kd * kd
    return sums.with_columns(
        per_kelurahan=((ky * dd - dy * kd) / det).round(0),
        per_desa=((dy * kk - ky * kd) / det).round(0),
        determined=det > _SINGULAR * (kk * dd),
    ).with_columns(
        valid=pl.col("determined").fill_null(False)
        & (pl.col("per_kelurahan") > 0)
        & (pl.col("per_desa") > 0)
    )


_SUMS = (
    (pl.col("k") * pl.col("k")).sum().alias("kk"),
    (pl.col("k") * pl.col("d")).sum().alias("kd"),
    (pl.col("d") * pl.col("d")).sum().alias("dd"),
    (pl.col("k") * pl.col("y")).sum().alias("ky"),
    (pl.col("d") * pl.col("y")).sum().alias("dy"),
)


def type_fits(regions: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """Persons per kelurahan and per desa of each province that has villages: columns
    ``province_code, per_kelurahan, per_desa, basis`` (``province`` or ``nation``). Provinces
    with no valid fit of their own nor a national one are absent.

    ``regions``: ``code, level, kind, regency_code, province_code`` (the build's region frame);
    ``population``: ``code, total`` of regencies.
    """
    villages = regions.filter(pl.col("level") == 4).with_columns(
        kel=(pl.col("kind") == "kelurahan").cast(pl.Float64)
    )
    per_regency = (
        villages.group_by("regency_code", "province_code")
        .agg(k=pl.col("kel").sum(), d=(1 - pl.col("kel")).sum())
        .join(
            population.select(
                pl.col("code").alias("regency_code"), pl.col("total").cast(pl.Float64).alias("y")
            ),
            on="regency_code",
            how="inner",
        )
    )
    provinces = villages.select("province_code").unique()
    if per_regency.is_empty():
        return pl.DataFrame(
            schema={
                "province_code": pl.String,
                "per_kelurahan": pl.Int64,
                "per_desa": pl.Int64,
                "basis": pl.String,
            }
        )
    own = _solve(per_regency.group_by("province_code").agg(*_SUMS)).filter(pl.col("valid"))
    nation = _solve(per_regency.select(*_SUMS)).filter(pl.col("valid"))
    fits = own.select("province_code", "per_kelurahan", "per_desa", basis=pl.lit("province"))
    if not nation.is_empty():
        rest = provinces.join(fits.select("province_code"), on="province_code", how="anti")
        fits = pl.concat(
            [
                fits,
                rest.join(nation.select("per_kelurahan", "per_desa"), how="cross").with_columns(
                    basis=pl.lit("nation")
                ),
            ],
            how="vertical_relaxed",
        )
    return fits.with_columns(pl.col("per_kelurahan", "per_desa").cast(pl.Int64))


def village_weights(regions: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """One row per village: ``code, regency_code, weight, by_type``. ``weight`` is the fitted
    persons per village of its type; ``by_type`` is true where the regency has both kinds of
    village and a fit exists (elsewhere the weights are equal, 1 each, and the shares are the
    equal shares)."""
    fits = type_fits(regions, population)
    villages = regions.filter(pl.col("level") == 4).select(
        "code", "regency_code", "province_code", kel=pl.col("kind") == "kelurahan"
    )
    weighted = villages.join(fits, on="province_code", how="left").with_columns(
        mixed=(pl.col("kel").any() & (~pl.col("kel")).any()).over("regency_code")
    )
    by_type = pl.col("mixed") & pl.col("per_desa").is_not_null()
    return weighted.select(
        "code",
        "regency_code",
        weight=pl.when(by_type)
        .then(pl.when(pl.col("kel")).then(pl.col("per_kelurahan")).otherwise(pl.col("per_desa")))
        .otherwise(pl.lit(1))
        .cast(pl.Int64),
        by_type=by_type.fill_null(False),
        per_kelurahan=pl.col("per_kelurahan"),
        per_desa=pl.col("per_desa"),
        basis=pl.col("basis"),
    )
