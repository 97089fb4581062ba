{#- dbt-postgres's table with an enforced contract, with its model-level keys added after its rows.

    dbt creates a contracted table with its primary key and then inserts every row, so PostgreSQL
    maintains the key's index row by row, in random order of the sha256 keys. Here the table is
    created with its columns, their types and NOT NULLs, filled, and then given the model's
    constraints (`alter table ... add primary key (...)`): one sorted index build. The same rows are
    refused (a duplicate key fails the statement, and the model with it), the same constraints with
    the same names stand after it, and the whole happens in the model's transaction as before. At
    10,000 reports the observation fact and the conflicts, 380,000 and 374,000 rows, were built in
    about 60% of the time (bench/pipeline.py; docs/warehouse.md). -#}
{% macro postgres__create_table_as(temporary, relation, sql) -%}
  {%- set unlogged = config.get('unlogged', default=false) -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {%- set contract_config = config.get('contract') -%}

  {{ sql_header if sql_header is not none }}

  create {% if temporary -%}
    temporary
  {%- elif unlogged -%}
    unlogged
  {%- endif %} table {{ relation }}
  {% if contract_config.enforced %}
    {{ get_assert_columns_equivalent(sql) }}
  {% endif -%}
  {% if contract_config.enforced and (not temporary) -%}
    {%- set column_ddl = adapter.render_raw_columns_constraints(raw_columns=model['columns']) -%}
    {%- set model_constraints = adapter.render_raw_model_constraints(raw_constraints=model['constraints']) -%}
    (
    {% for c in column_ddl -%}
      {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    ) ;
    insert into {{ relation }} (
      {{ adapter.dispatch('get_column_names', 'dbt')() }}
    )
    (
      {{ get_select_subquery(sql) }}
    );
    {% for c in model_constraints -%}
    alter table {{ relation }} add {{ c }};
    {% endfor -%}
  {% else %}
    as
    (
      {{ sql }}
    );
  {% endif %}
{%- endmacro %}
