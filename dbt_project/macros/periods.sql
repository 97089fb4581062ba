{#- Granularity and DHIS2-style id of a period given by its start and end dates. -#}
{% macro period_granularity(start_col, end_col) -%}
    case
        when {{ start_col }} is null or {{ end_col }} is null then 'unknown'
        when extract(month from {{ start_col }}) = 1 and extract(day from {{ start_col }}) = 1
             and extract(month from {{ end_col }}) = 12 and extract(day from {{ end_col }}) = 31
             and extract(year from {{ start_col }}) = extract(year from {{ end_col }}) then 'year'
        when extract(day from {{ start_col }}) = 1
             and {{ end_col }} = (date_trunc('month', {{ start_col }}) + interval '1 month - 1 day')::date then 'month'
        when extract(day from {{ start_col }}) = 1 and extract(month from {{ start_col }}) in (1, 4, 7, 10)
             and {{ end_col }} = (date_trunc('month', {{ start_col }}) + interval '3 months - 1 day')::date then 'quarter'
        when extract(day from {{ start_col }}) = 1 and extract(month from {{ start_col }}) in (1, 7)
             and {{ end_col }} = (date_trunc('month', {{ start_col }}) + interval '6 months - 1 day')::date then 'half'
        when extract(month from {{ start_col }}) = 1 and extract(day from {{ start_col }}) = 1
             and extract(year from {{ start_col }}) = extract(year from {{ end_col }}) then 'year_to_date'
        else 'other'
    end
{%- endmacro %}

{% macro period_id(start_col, end_col) -%}
    case {{ period_granularity(start_col, end_col) }}
        when 'unknown' then 'unknown'
        when 'year' then to_char({{ start_col }}, 'YYYY')
        when 'month' then to_char({{ start_col }}, 'YYYYMM')
        when 'quarter' then to_char({{ start_col }}, 'YYYY') || 'Q' || extract(quarter from {{ start_col }})::int
        when 'half' then to_char({{ start_col }}, 'YYYY') || 'S' || case when extract(month from {{ start_col }}) = 1 then '1' else '2' end
        else to_char({{ start_col }}, 'YYYYMMDD') || '_' || to_char({{ end_col }}, 'YYYYMMDD')
    end
{%- endmacro %}
