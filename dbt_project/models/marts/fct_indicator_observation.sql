{{ config(
    materialized='incremental', unique_key='observation_id', incremental_strategy='merge',
    on_schema_change='append_new_columns',
    post_hook=[
        "delete from {{ this }} as f where not exists (select 1 from {{ ref('int_observations__accepted') }} as a where a.observation_id = f.observation_id)",
        "update {{ this }} as f set is_outlier = true, outlier_score = o.outlier_score from {{ ref('stg_validation__outlier_flags') }} as o where o.observation_id = f.observation_id and o.is_outlier and (f.is_outlier is not true or f.outlier_score is distinct from o.outlier_score)",
        "update {{ this }} as f set is_outlier = false, outlier_score = null where f.is_outlier is not false and not exists (select 1 from {{ ref('stg_validation__outlier_flags') }} as o where o.observation_id = f.observation_id and o.is_outlier)",
        "update {{ this }} as f set loaded_run_id = a.run_id from {{ ref('int_observations__accepted') }} as a where f.loaded_run_id is null and a.observation_id = f.observation_id",
        "{{ ensure_primary_key('observation_id') }}",
        "{{ ensure_not_null() }}",
        "{{ foreign_key('indicator_id', 'dim_indicator', 'indicator_id') }}",
        "{{ foreign_key('facility_id', 'dim_facility', 'facility_id') }}",
        "{{ foreign_key('period_id', 'dim_period', 'period_id') }}",
        "{{ foreign_key('report_id', 'dim_report', 'report_id') }}"
    ]
) }}
-- depends_on: {{ ref('dim_indicator') }}
-- depends_on: {{ ref('dim_facility') }}
-- depends_on: {{ ref('dim_period') }}
-- depends_on: {{ ref('dim_report') }}
-- Grain: one row per observation extracted from one report (a number stated once in one sentence).
-- Incremental: a run adds the readings it has not published yet (new reports, a new extractor
-- version's reading, rows released from quarantine), and the post-hook removes every row that is no
-- longer accepted (quarantined after it was published, superseded reading or file version). Outlier
-- flags move on published rows too (raised or cleared by a later validation): the post-hooks keep
-- `is_outlier` and `outlier_score` in step with them.
with observations as (
    select * from {{ ref('int_observations__accepted') }}
),

outliers as (
    select * from {{ ref('stg_validation__outlier_flags') }}
    where is_outlier
),

unpublished as (
    select o.*
    from observations as o
    {% if is_incremental() %}
        where not exists (
            select 1 from {{ this }} as t
            where t.observation_id = o.observation_id and t.extractor_version = o.extractor_version
        )
    {% endif %}
),

flagged as (
    select
        u.*,
        f.observation_id is not null as is_outlier,
        f.outlier_score
    from unpublished as u
    left join outliers as f on u.observation_id = f.observation_id
),

final as (
    select
        observation_id,
        indicator_code as indicator_id,
        facility_id,
        period_id,
        report_id,
        report_id as report_sha256,
        observed_value,
        unit,
        value_kind,
        qualifier,
        dimension,
        facility_name,
        evidence,
        evidence_start,
        evidence_end,
        source_file,
        extractor_version,
        loaded_at,
        run_id as loaded_run_id,
        is_outlier,
        outlier_score
    from flagged
)

select * from final
