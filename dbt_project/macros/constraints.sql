{#- Keys BI tools can read from the catalog (Metabase, Superset and Power BI work out joins from them).

    Primary keys are model-contract constraints. dbt builds a table as `<name>__dbt_tmp` and swaps it
    in, so PostgreSQL names its key's index `<name>__dbt_tmp_pkey`, and the next build's temporary
    table would collide with it: `rename_primary_key_index` (a post-hook of every mart) names the
    key `<name>_pkey`, moving the swapped-out table's (dropped after the commit) out of the way.

    Foreign keys are added by post-hooks, not by the contract: a dimension rebuilt by a swap drops,
    with its old table, every foreign key that pointed at it (including those of the incremental
    observation fact), so each fact re-adds its own on every build when missing. -#}
{% macro rename_primary_key_index() -%}
    {%- if model.config.materialized in ('table', 'incremental') -%}
    do $$
    declare
        current_name text;
    begin
        select conname into current_name from pg_constraint
        where conrelid = '{{ this }}'::regclass and contype = 'p';
        if current_name is not null and current_name <> '{{ this.identifier }}_pkey' then
            if to_regclass('{{ this.schema }}."{{ this.identifier }}_pkey"') is not null then
                execute format('alter index %I.%I rename to %I', '{{ this.schema }}', '{{ this.identifier }}_pkey',
                               '{{ this.identifier }}__dbt_backup_pkey');
            end if;
            execute format('alter index %I.%I rename to %I', '{{ this.schema }}', current_name,
                           '{{ this.identifier }}_pkey');
        end if;
    end $$
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- `on_delete='cascade'` where the referenced row may go before this table is rebuilt (an observation
    the incremental fact removes after quarantine: this build replaces the rows that pointed at it). -#}
{% macro foreign_key(column, to_model, to_column, on_delete=none) -%}
    {%- set name = this.identifier ~ '_' ~ column ~ '_fkey' -%}
    do $$ begin
        if not exists (select 1 from pg_constraint where conname = '{{ name }}' and conrelid = '{{ this }}'::regclass) then
            alter table {{ this }} add constraint {{ name }} foreign key ({{ column }})
                references {{ ref(to_model) }} ({{ to_column }}){% if on_delete %} on delete {{ on_delete }}{% endif %};
        end if;
    end $$
{%- endmacro %}

{#- An incremental table keeps the table it was first built as: one built before its contract named a
    primary key gets it here, on its next build. -#}
{% macro ensure_primary_key(column) -%}
    do $$ begin
        if not exists (select 1 from pg_constraint where conrelid = '{{ this }}'::regclass and contype = 'p') then
            alter table {{ this }} add constraint "{{ this.identifier }}_pkey" primary key ({{ column }});
        end if;
    end $$
{%- endmacro %}

{#- The same for the columns the contract declares `not_null`: a table built before its contract said so
    gets the constraint on its next build (a column already NOT NULL is left alone, so no scan on the
    builds after). -#}
{% macro ensure_not_null() -%}
    {%- set columns = [] -%}
    {%- for name, column in model.columns.items() -%}
        {%- for constraint in column.constraints if constraint.type == 'not_null' -%}
            {%- do columns.append(name) -%}
        {%- endfor -%}
    {%- endfor -%}
    do $$
    declare
        missing text;
    begin
        for missing in
            select attname from pg_attribute
            where attrelid = '{{ this }}'::regclass and not attnotnull
                and attname = any(array[{% for c in columns %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %}]::text[])
        loop
            execute format('alter table %s alter column %I set not null', '{{ this }}', missing);
        end loop;
    end $$
{%- endmacro %}
