{#- Passes when the table holds a validated foreign key from `column_name` to `field` of `to`.
    PostgreSQL then refuses an orphan as it is written and a VALIDATE has checked every row already
    there, so this test reads the catalog instead of joining the two tables: the marts' keys are
    added by post-hooks (macros/constraints.sql), and at 10,000 reports the 17 `relationships`
    queries that looked for the orphans those keys rule out took 1.6 s of the build's threads (0.55 s
    as catalog reads), much of it on the build's longest path. A copy of a mart restored without its
    key fails here, and its next build adds the key back, checking every row. -#}
{% test foreign_key_constraint(model, column_name, to, field) %}
select '{{ model }}' as relation, '{{ column_name }}' as missing_foreign_key
where not exists (
    select 1
    from pg_constraint as k
    where
        k.conrelid = '{{ model }}'::regclass
        and k.contype = 'f'
        and k.convalidated
        and k.confrelid = '{{ to }}'::regclass
        and k.conkey = array[(
            select a.attnum from pg_attribute as a where a.attrelid = k.conrelid and a.attname = '{{ column_name }}'
        )]
        and k.confkey = array[(
            select a.attnum from pg_attribute as a where a.attrelid = k.confrelid and a.attname = '{{ field }}'
        )]
)
{% endtest %}
