{% test unique_combination(model, columns) %}
-- Rows that share the values of all the given columns (a compound key that is not unique).
select {{ columns | join(', ') }}, count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
