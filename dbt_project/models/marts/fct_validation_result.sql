{{ config(materialized='view') }}
-- Grain: one row per expectation evaluated in one checkpoint run; lets BI read audit results.
with results as (
    select * from {{ ref('stg_validation__validation_results') }}
),

final as (
    select
        {{ surrogate_key(['run_id', 'suite_name', 'expectation_type', 'column_name']) }} as validation_result_id,
        run_id,
        checkpoint_name,
        suite_name,
        expectation_type,
        column_name,
        is_success,
        unexpected_count,
        unexpected_sample,
        validated_at
    from results
)

select * from final
