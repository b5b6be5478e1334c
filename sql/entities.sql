-- one row per canonical entity of the reviewed registry
with source as (
    select * from read_parquet('{{ out_dir }}/entities/*.parquet')
),

final as (
    select
        entity_id,
        canonical_name,
        entity_type,
        aliases,
        parent_entity_id,
        country_iso2,
        latitude,
        longitude,
        admin1,
        acts_as_entity_id
    from source
)

select * from final
