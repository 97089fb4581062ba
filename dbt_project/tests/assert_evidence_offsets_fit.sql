-- Every fact's evidence offsets describe a span as long as its evidence text.
select observation_id
from {{ ref('fct_indicator_observation') }}
where evidence_end - evidence_start <> length(evidence) or evidence_start < 0
