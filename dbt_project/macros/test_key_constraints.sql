{#- Tests that a key is in the catalog, for keys PostgreSQL holds: it then refuses a duplicate or an
    orphan as it is written (and checked every row already there when the key was added), so these
    read `pg_constraint` instead of the whole table. At 10,000 reports a unique-combination query over
    raw.observations and another over its staging view were 1.4 s on the build's longest path, and the
    17 `relationships` queries over the marts' keys (added by post-hooks, macros/constraints.sql) 1.6 s
    of the build's threads (0.55 s as catalog reads), to find what the keys already rule out. A copy
    of a table restored without its key fails here; the next build adds a mart's key back, checking
    every row. -#}

{#- Passes when the table's primary key is exactly these columns. -#}
{% test primary_key_constraint(model, columns) %}
    {{ missing_key(model, 'p', columns, 'missing_primary_key') }}
{% endtest %}

{#- Passes when the table holds a validated foreign key from `column_name` to `field` of `to`. -#}
{% test foreign_key_constraint(model, column_name, to, field) %}
    {{ missing_key(model, 'f', [column_name], 'missing_foreign_key',
                   "k.convalidated and k.confrelid = '" ~ to ~ "'::regclass and "
                   ~ key_columns('k.confrelid', 'k.confkey') ~ " = array['" ~ field ~ "']::text[]") }}
{% endtest %}

{#- One row naming the key when `relation` has no constraint of `kind` on exactly `columns` (and `extra`). -#}
{% macro missing_key(relation, kind, columns, label, extra='true') %}
select '{{ relation }}' as relation, '{{ columns | join(", ") }}' as {{ label }}
where not exists (
    select 1
    from pg_constraint as k
    where
        k.conrelid = '{{ relation }}'::regclass
        and k.contype = '{{ kind }}'
        and {{ key_columns('k.conrelid', 'k.conkey') }}
        = array[{% for c in columns | sort %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %}]::text[]
        and {{ extra }}
)
{% endmacro %}

{#- The names of a key's columns, sorted: `table` and `numbers` as pg_constraint gives them. -#}
{% macro key_columns(table, numbers) -%}
(select array_agg(a.attname::text order by a.attname) from pg_attribute as a
 where a.attrelid = {{ table }} and a.attnum = any({{ numbers }}))
{%- endmacro %}
