-- one row per source the latest run could not use, with a reason code and what to do
with source as (
    select * from read_parquet('{{ out_dir }}/rejected_sources/*.parquet')
),

final as (
    select source_path, reason, detail, run_id
    from source
)

select * from final
