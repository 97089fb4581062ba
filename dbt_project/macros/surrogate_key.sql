{#- The one way a mart builds a key from the columns of its grain: md5 of the values joined by `|`,
    a null read as the empty string (so a key never goes null with an optional column). -#}
{% macro surrogate_key(columns) -%}
    md5({% for column in columns %}coalesce({{ column }}::text, ''){% if not loop.last %} || '|' || {% endif %}{% endfor %})
{%- endmacro %}
