{#- Passes when the table's primary key is exactly these columns. PostgreSQL then refuses a duplicate as
    it is written, so this test reads the catalog instead of the whole table: at 10,000 reports a
    unique-combination query over raw.observations and another over its staging view were 1.4 s on
    the build's longest path, to find what the key already rules out. -#}
{% test primary_key_constraint(model, columns) %}
select '{{ model }}' as relation, '{{ columns | join(", ") }}' as missing_primary_key
where not exists (
    select 1
    from pg_constraint as k
    where
        k.conrelid = '{{ model }}'::regclass
        and k.contype = 'p'
        and (
            select array_agg(a.attname::text order by a.attname)
            from pg_attribute as a
            where a.attrelid = k.conrelid and a.attnum = any(k.conkey)
        ) = array[{% for c in columns | sort %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %}]::text[]
)
{% endtest %}
