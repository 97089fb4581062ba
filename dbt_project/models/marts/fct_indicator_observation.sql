{{ config(
    materialized='incremental', unique_key='observation_id', incremental_strategy='merge', on_schema_change='fail',
    post_hook="delete from {{ this }} as f where not exists (select 1 from {{ ref('int_observations__accepted') }} as a where a.observation_id = f.observation_id)"
) }}
-- Grain: one row per observation extracted from one report (a number stated once in one sentence).
-- Incremental: a run adds the readings it has not published yet (new reports, a new extractor
-- version's reading, rows released from quarantine), and the post-hook removes every row that is no
-- longer accepted (quarantined after it was published, superseded reading or file version).
with observations as (
    select * from {{ ref('int_observations__accepted') }}
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
    from unpublished
)

select * from final
