{{ config(post_hook=[
        "{{ foreign_key('indicator_id', 'dim_indicator', 'indicator_id') }}",
        "{{ foreign_key('province_id', 'dim_facility', 'facility_id') }}",
        "{{ foreign_key('period_id', 'dim_period', 'period_id') }}"
]) }}
-- depends_on: {{ ref('dim_indicator') }}
-- depends_on: {{ ref('dim_facility') }}
-- depends_on: {{ ref('dim_period') }}
-- Grain: one row per indicator × province of the 34-province map (from 1 July 2025) × period × kind ×
-- dimension. Pre-merger provinces' values are combined as the catalogue says (dim_indicator.area_aggregation),
-- never averaged: counts summed when every merged province has one; rates recomputed from the summed
-- numerator and denominator when every merged province has both; otherwise null, with the reason.
with values_latest as (
    select * from {{ ref('int_indicator_values__latest') }}
),

provinces as (
    select * from {{ ref('stg_seeds__provinces') }}
),

indicators as (
    select * from {{ ref('stg_seeds__indicator_catalogue') }}
),

members as (
    select
        successor_province_code,
        successor_province_name,
        count(*) as member_count
    from provinces
    group by 1, 2
),

province_values as (
    -- a figure about a province of the map in force for its period, placed on the new map
    select
        v.*,
        p.province_code,
        p.successor_province_code as new_province_code
    from values_latest as v
    inner join provinces as p on v.facility_id in ('vn.' || p.province_code, 'vn.2025.' || p.province_code)
),

own_values as (
    select
        indicator_code,
        new_province_code,
        period_id,
        value_kind,
        dimension,
        max(period_end_date) as period_end_date,
        count(distinct province_code) as contributing_count,
        sum(observed_value) as value_sum,
        bool_and(qualifier = 'exact') as is_exact
    from province_values
    group by 1, 2, 3, 4, 5
),

ratio_parts as (
    -- each old province's numerator and denominator of a ratio indicator, for the same period and kind
    select
        i.indicator_code,
        n.new_province_code,
        n.period_id,
        n.value_kind,
        null::text as dimension,
        n.period_end_date,
        n.province_code,
        n.observed_value as numerator_value,
        d.observed_value as denominator_value,
        n.qualifier = 'exact' and d.qualifier = 'exact' as is_exact
    from indicators as i
    inner join province_values as n
        on i.numerator_indicator_code = n.indicator_code and n.dimension is null
    inner join province_values as d
        on
            i.denominator_indicator_code = d.indicator_code and d.dimension is null
            and n.province_code = d.province_code and n.period_id = d.period_id and n.value_kind = d.value_kind
    where i.area_aggregation = 'ratio'
),

ratio_sums as (
    select
        indicator_code,
        new_province_code,
        period_id,
        value_kind,
        dimension,
        max(period_end_date) as period_end_date,
        count(distinct province_code) as ratio_province_count,
        sum(numerator_value) as numerator_sum,
        sum(denominator_value) as denominator_sum,
        bool_and(is_exact) as is_ratio_exact
    from ratio_parts
    group by 1, 2, 3, 4, 5
),

grains as (
    select
        indicator_code,
        new_province_code,
        period_id,
        value_kind,
        dimension,
        period_end_date
    from own_values
    union
    select
        indicator_code,
        new_province_code,
        period_id,
        value_kind,
        dimension,
        period_end_date
    from ratio_sums
),

combined as (
    select
        g.*,
        i.area_aggregation,
        i.ratio_factor,
        m.successor_province_name as new_province_name,
        -- a figure for a period ending after the merger is already the new province's (int_observations__accepted)
        case when g.period_end_date >= date '2025-07-01' then 1 else m.member_count end as member_count,
        coalesce(o.contributing_count, 0) as contributing_count,
        o.value_sum,
        o.is_exact,
        coalesce(r.ratio_province_count, 0) as ratio_province_count,
        r.numerator_sum,
        r.denominator_sum,
        r.is_ratio_exact
    from grains as g
    inner join indicators as i on g.indicator_code = i.indicator_code
    inner join members as m on g.new_province_code = m.successor_province_code
    left join own_values as o
        on
            g.indicator_code = o.indicator_code and g.new_province_code = o.new_province_code
            and g.period_id = o.period_id and g.value_kind = o.value_kind
            and coalesce(o.dimension, '') = coalesce(g.dimension, '')
    left join ratio_sums as r
        on
            g.indicator_code = r.indicator_code and g.new_province_code = r.new_province_code
            and g.period_id = r.period_id and g.value_kind = r.value_kind
            and coalesce(r.dimension, '') = coalesce(g.dimension, '')
),

judged as (
    select
        *,
        case
            when
                area_aggregation = 'ratio' and ratio_province_count = member_count and denominator_sum > 0
                and member_count > 1 then 'ratio_of_sums'
            when member_count = 1 and contributing_count = 1 then 'single_province'
            when area_aggregation = 'sum' and contributing_count = member_count then 'sum'
        end as aggregation_method
    from combined
),

final as (
    select
        {{ surrogate_key(['indicator_code', 'new_province_code', 'period_id', 'value_kind', 'dimension']) }}
            as province_value_id,
        indicator_code as indicator_id,
        'vn.2025.' || new_province_code as province_id,
        new_province_name as province_name,
        period_id,
        value_kind,
        dimension,
        case aggregation_method
            when 'ratio_of_sums' then numerator_sum / denominator_sum * ratio_factor
            when 'single_province' then value_sum
            when 'sum' then value_sum
        end as observed_value,
        aggregation_method,
        case
            when aggregation_method is not null then null
            when area_aggregation = 'none'
                then 'not_aggregatable: a rate or share with no numerator and denominator in the catalogue'
            when area_aggregation = 'ratio' and ratio_province_count = 0 then 'missing_denominator'
            when area_aggregation = 'ratio'
                then
                    'incomplete_coverage: ' || ratio_province_count || ' of ' || member_count
                    || ' provinces have numerator and denominator'
            else 'incomplete_coverage: ' || contributing_count || ' of ' || member_count || ' provinces'
        end as null_reason,
        member_count::int as merged_province_count,
        case when aggregation_method = 'ratio_of_sums' then ratio_province_count else contributing_count end::int
            as contributing_province_count,
        case when aggregation_method = 'ratio_of_sums' then is_ratio_exact else coalesce(is_exact, false) end
            as is_exact,
        case when aggregation_method = 'ratio_of_sums' then numerator_sum end as numerator_sum,
        case when aggregation_method = 'ratio_of_sums' then denominator_sum end as denominator_sum
    from judged
)

select * from final
