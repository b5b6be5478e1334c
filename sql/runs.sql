-- one row per pipeline run, oldest first
with source as (
    select * from read_parquet('{{ out_dir }}/runs/*.parquet')
),

final as (
    select
        run_id,
        started_at,
        finished_at,
        status,
        sources_seen,
        sources_added,
        sources_changed,
        sources_removed,
        sources_unchanged,
        sources_rejected,
        pipeline_version
    from source
    order by started_at
)

select * from final
