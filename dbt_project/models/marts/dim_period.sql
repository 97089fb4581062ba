-- Grain: one row per period. A complete calendar (years, halves, quarters, months and ISO weeks, with
-- DHIS2's period ids: 2024, 2024S1, 2024Q3, 202409, 2024W36) over every year the data touches, plus
-- the other ranges facts use (year-to-date, arbitrary ranges, unknown), so that an analyst can group
-- by any of them and see the periods with no data too.
with observations as (
    select * from {{ ref('int_observations__accepted') }}
),

fact_periods as (
    select distinct
        period_id,
        period_start_date,
        period_end_date
    from observations
),

years as (
    select
        generate_series(
            min(extract(year from period_start_date))::int, max(extract(year from period_end_date))::int
        ) as calendar_year
    from fact_periods
    where period_start_date is not null
),

calendar_periods as (
    select
        make_date(years.calendar_year, 1, 1) as period_start_date,
        make_date(years.calendar_year, 12, 31) as period_end_date
    from years
    union all
    select
        make_date(years.calendar_year, h.half_start, 1) as period_start_date,
        (make_date(years.calendar_year, h.half_start, 1) + interval '6 months - 1 day')::date as period_end_date
    from years cross join (values (1), (7)) as h (half_start)
    union all
    select
        make_date(years.calendar_year, q.quarter_start, 1) as period_start_date,
        (make_date(years.calendar_year, q.quarter_start, 1) + interval '3 months - 1 day')::date as period_end_date
    from years cross join (values (1), (4), (7), (10)) as q (quarter_start)
    union all
    select
        make_date(years.calendar_year, m.month_number, 1) as period_start_date,
        (make_date(years.calendar_year, m.month_number, 1) + interval '1 month - 1 day')::date as period_end_date
    from years cross join generate_series(1, 12) as m (month_number)
),

calendar as (
    select
        {{ period_id('period_start_date', 'period_end_date') }} as period_id,
        period_start_date,
        period_end_date
    from calendar_periods
),

iso_weeks as (
    -- every ISO week (Monday to Sunday) whose Thursday falls in one of the years
    select
        to_char(week_start, 'IYYY') || 'W' || to_char(week_start, 'FMIW') as period_id,
        week_start::date as period_start_date,
        (week_start + interval '6 days')::date as period_end_date
    from years
    cross join lateral generate_series(
        date_trunc('week', make_date(calendar_year, 1, 4)),
        date_trunc('week', make_date(calendar_year, 12, 28)),
        interval '1 week'
    ) as w (week_start)
),

all_periods as (
    select
        period_id,
        period_start_date,
        period_end_date,
        false as is_iso_week
    from calendar
    union
    select
        period_id,
        period_start_date,
        period_end_date,
        true as is_iso_week
    from iso_weeks
    union
    select
        period_id,
        period_start_date,
        period_end_date,
        false as is_iso_week
    from fact_periods
),

typed as (
    select
        period_id,
        period_start_date,
        period_end_date,
        case
            when is_iso_week then 'week'
            else {{ period_granularity('period_start_date', 'period_end_date') }}
        end as granularity,
        case
            when is_iso_week then extract(isoyear from period_start_date)::int
            else extract(year from period_end_date)::int
        end as period_year,
        case when is_iso_week then extract(week from period_start_date)::int end as period_week,
        (
            (extract(year from period_end_date) - extract(year from period_start_date)) * 12
            + extract(month from period_end_date) - extract(month from period_start_date) + 1
        )::int as month_count
    from all_periods
),

labelled as (
    select
        *,
        case granularity
            when 'year' then 'Năm ' || period_year
            when 'half'
                then case
                    when extract(month from period_start_date) = 1 then '6 tháng đầu năm '
                    else '6 tháng cuối năm '
                end || period_year
            when 'quarter' then 'Quý ' || extract(quarter from period_start_date)::int || '/' || period_year
            when 'month' then 'Tháng ' || extract(month from period_start_date)::int || '/' || period_year
            when 'week' then 'Tuần ' || period_week || '/' || period_year
            when 'year_to_date' then month_count || ' tháng đầu năm ' || period_year
            when 'unknown' then 'Không rõ kỳ'
            else to_char(period_start_date, 'DD/MM/YYYY') || ' - ' || to_char(period_end_date, 'DD/MM/YYYY')
        end as period_label_vi,
        case granularity
            when 'year' then period_year::text
            when
                'half'
                then period_year || ' H' || case when extract(month from period_start_date) = 1 then '1' else '2' end
            when 'quarter' then period_year || ' Q' || extract(quarter from period_start_date)::int
            when 'month' then to_char(period_start_date, 'FMMonth YYYY')
            when 'week' then period_year || ' W' || period_week
            when
                'year_to_date'
                then to_char(period_start_date, 'FMMonth') || '-' || to_char(period_end_date, 'FMMonth YYYY')
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
        granularity as period_type,
        period_year,
        case when granularity in ('year', 'half', 'quarter', 'month', 'week') then period_id end as dhis2_period_id,
        granularity = 'year_to_date' as is_year_to_date,
        granularity in ('year', 'half', 'quarter', 'month', 'week') as is_full_period,
        case
            when granularity in ('half', 'quarter', 'month')
                then case when extract(month from period_start_date) <= 6 then 1 else 2 end
        end as period_half,
        case when granularity in ('quarter', 'month') then extract(quarter from period_start_date)::int end
            as period_quarter,
        case when granularity = 'month' then extract(month from period_start_date)::int end as period_month,
        period_week,
        month_count,
        period_label_vi,
        period_label_en
    from labelled
)

select * from final
