-- Resolution 202/2025/QH15: 63 provinces become 34. Returns rows (fails) when the seed disagrees.
with provinces as (
    select * from {{ ref('stg_seeds__provinces') }}
),

counts as (
    select
        count(*) as before_count,
        count(distinct successor_province_code) as after_count
    from provinces
)

select * from counts
where before_count <> 63 or after_count <> 34
