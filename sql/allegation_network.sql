-- one row per (accuser, accused, allegation type): the edges of an accusation network
with edges as (
    select
        coalesce(accuser_id, lower(accuser_name)) as accuser_key,
        coalesce(accused_id, lower(accused_name)) as accused_key,
        accuser_id,
        accuser_name,
        accused_id,
        accused_name,
        allegation_type,
        doc_id,
        published_date
    from allegations
),

final as (
    select
        any_value(accuser_id) as accuser_id,
        min(accuser_name) as accuser_name,
        any_value(accused_id) as accused_id,
        min(accused_name) as accused_name,
        allegation_type,
        count(*) as n_allegations,
        count(distinct doc_id) as n_documents,
        min(published_date) as first_date,
        max(published_date) as last_date
    from edges
    group by accuser_key, accused_key, allegation_type
    order by n_allegations desc, accuser_name, accused_name, allegation_type
)

select * from final
