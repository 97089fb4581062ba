{{ config(materialized='incremental', unique_key='observation_id', incremental_strategy='merge',
          on_schema_change='fail') }}
-- Grain: one row per observation extracted from one report (a number stated once in one sentence).
with observations as (
    select * from {{ ref('int_observations__accepted') }}
    {% if is_incremental() %}
    where loaded_at > (select coalesce(max(loaded_at), '1900-01-01'::timestamptz) from {{ this }})
    {% endif %}
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
        loaded_at
    from observations
)

select * from final
