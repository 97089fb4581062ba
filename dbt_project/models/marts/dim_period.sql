with observations as (
    select * from {{ ref('int_observations__accepted') }}
),

distinct_periods as (
    select distinct period_id, period_start_date, period_end_date
    from observations
),

typed as (
    select
        period_id,
        period_start_date,
        period_end_date,
        {{ period_granularity('period_start_date', 'period_end_date') }} as granularity,
        extract(year from period_end_date)::int as period_year,
        ((extract(year from period_end_date) - extract(year from period_start_date)) * 12
            + extract(month from period_end_date) - extract(month from period_start_date) + 1)::int as month_count
    from distinct_periods
),

labelled as (
    select
        *,
        case granularity
            when 'year' then 'Năm ' || period_year
            when 'half' then case when extract(month from period_start_date) = 1 then '6 tháng đầu năm '
                                  else '6 tháng cuối năm ' end || period_year
            when 'quarter' then 'Quý ' || extract(quarter from period_start_date)::int || '/' || period_year
            when 'month' then 'Tháng ' || extract(month from period_start_date)::int || '/' || period_year
            when 'year_to_date' then month_count || ' tháng đầu năm ' || period_year
            when 'unknown' then 'Không rõ kỳ'
            else to_char(period_start_date, 'DD/MM/YYYY') || ' - ' || to_char(period_end_date, 'DD/MM/YYYY')
        end as period_label_vi,
        case granularity
            when 'year' then period_year::text
            when 'half' then period_year || ' H' || case when extract(month from period_start_date) = 1 then '1' else '2' end
            when 'quarter' then period_year || ' Q' || extract(quarter from period_start_date)::int
            when 'month' then to_char(period_start_date, 'FMMonth YYYY')
            when 'year_to_date' then to_char(period_start_date, 'FMMonth') || '-' || to_char(period_end_date, 'FMMonth YYYY')
            when 'unknown' then 'unknown period'
            else to_char(period_start_date, 'YYYY-MM-DD') || ' to ' || to_char(period_end_date, 'YYYY-MM-DD')
        end as period_label_en
    from typed
),

final as (
    select
        period_id,
        period_start_date,
        period_end_date,
        granularity,
        period_year,
        case when granularity in ('year', 'half', 'quarter', 'month') then period_id end as dhis2_period_id,
        granularity = 'year_to_date' as is_year_to_date,
        granularity in ('year', 'half', 'quarter', 'month') as is_full_period,
        case when granularity = 'half' then case when extract(month from period_start_date) = 1 then 1 else 2 end
        end as period_half,
        case when granularity = 'quarter' then extract(quarter from period_start_date)::int end as period_quarter,
        case when granularity = 'month' then extract(month from period_start_date)::int end as period_month,
        month_count,
        period_label_vi,
        period_label_en
    from labelled
)

select * from final
