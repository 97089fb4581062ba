-- No fact reaches the marts outside its indicator's plausible range (validation quarantines them).
select f.observation_id
from {{ ref('fct_indicator_observation') }} as f
inner join {{ ref('dim_indicator') }} as i on f.indicator_id = i.indicator_id
where f.observed_value < i.plausible_min_value or f.observed_value > i.plausible_max_value
