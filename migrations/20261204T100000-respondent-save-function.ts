// A respondent's save (ADR 4, ADR 5) as a stored function. The statement is large, and the driver sends every
// query unnamed, so PostgreSQL planned it afresh for each save: measured at 50 concurrent saves, planning took more
// of the server's time than running it (1 200 saves/s planned each time, 4 000/s with the plan kept). A PL/pgSQL
// function keeps its statements' plans for the life of the connection, on PostgreSQL and PGlite alike, and the
// call that reaches it is a one-line SELECT that plans in microseconds. The plan is generic (the same for every
// save): a custom plan would only fold the parameters into constants, and costs a planning per save again.
//
// It does what the single statement in server/responses/queries.ts did before, unchanged in meaning: it checks that
// the link is live, its wave open now and the language offered, and that the writer may write these sections now
// (a delegate: each is delegated to it; anyone else: none is delegated); takes the next revision; and creates the
// unit's response or merges into it per question, unless the response is completed or any answer conflicts. It
// returns the revision, or null when any check failed (the caller then asks why, on the rare path). The call is
// one statement in its own transaction: committed when it returns, all or nothing.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function respondent_save(
      p_token_hash text, p_main boolean, p_now timestamptz, p_at text, p_locale text, p_answers jsonb,
      p_bases jsonb, p_sections text[], p_has_page boolean, p_page text, p_by text, p_device text,
      p_seq bigint, p_device_class text)
    returns bigint language plpgsql
    set plan_cache_mode = force_generic_plan
    as $fn$
    declare
      -- The page a writer is on: the unit's own for its main link, one per delegate otherwise.
      page_key text := case when p_main then '$page' else '$page:' || p_by end;
      v_unit uuid;
      v_wave uuid;
      v_version uuid;
      v_language text;
      v_rev bigint;
      v_meta jsonb;
    begin
      -- The link: live, its wave open now, the language offered, and the sections the writer's own. One statement
      -- per kind of link: a plan holding both would be set up in full on every save.
      if p_main then
        select i.frame_unit_id, w.id, w.instrument_version_id, coalesce(p_locale, i.locale, w.locales[1])
          into v_unit, v_wave, v_version, v_language
        from invitation i join wave w on w.id = i.wave_id
        where i.token_hash = p_token_hash and i.revoked_at is null
          and w.status = 'open' and (w.opens_at is null or w.opens_at <= p_now)
          and (w.closes_at is null or w.closes_at > p_now) and (p_locale is null or p_locale = any(w.locales))
          and not exists (select 1 from delegation d where d.frame_unit_id = i.frame_unit_id
                          and d.ended_at is null and d.section = any(p_sections));
      else
        select l.frame_unit_id, w.id, w.instrument_version_id, coalesce(p_locale, l.locale)
          into v_unit, v_wave, v_version, v_language
        from delegate l join wave w on w.id = l.wave_id
        where l.token_hash = p_token_hash and l.revoked_at is null
          and w.status = 'open' and (w.opens_at is null or w.opens_at <= p_now)
          and (w.closes_at is null or w.closes_at > p_now) and (p_locale is null or p_locale = any(w.locales))
          and exists (select 1 from delegation d where d.delegate_id = l.id and d.ended_at is null)
          and (select count(*) from delegation d where d.delegate_id = l.id and d.ended_at is null
               and d.section = any(p_sections)) = cardinality(p_sections);
      end if;
      if not found then
        return null;
      end if;
      -- Taken before waiting for the row's lock: revisions are unique, not ordered (ADR 5).
      v_rev := nextval('answer_revision');
      v_meta := jsonb_strip_nulls(jsonb_build_object('by', p_by, 'dev', p_device, 'at', p_at, 'rev', v_rev,
                                                      'seq', p_seq));
      insert into response as r (wave_id, frame_unit_id, instrument_version_id, locale, locales_used, answers,
                                 answer_meta, current_page, device_class, started_at, updated_at, last_saved_at)
      values (v_wave, v_unit, v_version, v_language, array[v_language],
              coalesce((select jsonb_object_agg(e.key, e.value) from jsonb_each(p_answers) e
                        where e.value <> 'null'::jsonb), '{}'::jsonb),
              coalesce((select jsonb_object_agg(k, v_meta) from jsonb_object_keys(p_answers) k), '{}'::jsonb)
                || case when p_has_page
                     then jsonb_build_object(page_key, v_meta || jsonb_build_object('page', p_page, 'locale', v_language))
                     else '{}'::jsonb end,
              case when p_main then p_page end, p_device_class, p_now, p_now, p_now)
      on conflict (frame_unit_id) do update set
        -- A key keeps its newer value when this is a late save of the same writer and device, overtaken by a
        -- later one of its own (a higher counter): only the device's own counters are compared (ADR 5).
        answers = (r.answers - array(select k from jsonb_object_keys(p_answers) k where not coalesce(
                     p_seq < (r.answer_meta -> k ->> 'seq')::bigint and (r.answer_meta -> k ->> 'by') = p_by
                     and (r.answer_meta -> k ->> 'dev') = p_device, false)))
                  || (excluded.answers - array(select k from jsonb_object_keys(excluded.answer_meta) k where coalesce(
                     p_seq < (r.answer_meta -> k ->> 'seq')::bigint and (r.answer_meta -> k ->> 'by') = p_by
                     and (r.answer_meta -> k ->> 'dev') = p_device, false))),
        answer_meta = r.answer_meta || (excluded.answer_meta - array(select k
                     from jsonb_object_keys(excluded.answer_meta) k where coalesce(
                     p_seq < (r.answer_meta -> k ->> 'seq')::bigint and (r.answer_meta -> k ->> 'by') = p_by
                     and (r.answer_meta -> k ->> 'dev') = p_device, false))),
        current_page = case when p_main and p_has_page and not coalesce(
                         p_seq < (r.answer_meta -> page_key ->> 'seq')::bigint
                         and (r.answer_meta -> page_key ->> 'by') = p_by
                         and (r.answer_meta -> page_key ->> 'dev') = p_device, false) then p_page
                       else r.current_page end,
        -- The language follows the page: a late save of the same device, overtaken by a later one that set the
        -- page, leaves the language the later save chose.
        locale = case when p_main and not coalesce(
                   p_seq < (r.answer_meta -> page_key ->> 'seq')::bigint
                   and (r.answer_meta -> page_key ->> 'by') = p_by
                   and (r.answer_meta -> page_key ->> 'dev') = p_device, false) then excluded.locale
                 else r.locale end,
        locales_used = case when excluded.locale = any(r.locales_used) then r.locales_used
                            else r.locales_used || excluded.locale end,
        device_class = coalesce(p_device_class, r.device_class),
        updated_at = p_now,
        last_saved_at = p_now
      -- The conflict rule of ADR 5: an answer set at another revision than this writer saw, by another writer
      -- (or the same link on another device), to another value, refuses the whole save.
      where r.status = 'in_progress' and not exists (select 1 from jsonb_each(p_answers) e
        where (r.answer_meta -> e.key) is not null
          and coalesce((r.answer_meta -> e.key ->> 'rev')::bigint, 0) <> coalesce((p_bases ->> e.key)::bigint, 0)
          and not ((r.answer_meta -> e.key ->> 'by') = p_by
                   and coalesce(r.answer_meta -> e.key ->> 'dev', '') = p_device)
          and (r.answers -> e.key) is distinct from nullif(e.value, 'null'::jsonb));
      -- Nothing written: the response is completed, or an answer conflicts (the caller asks which).
      if not found then
        return null;
      end if;
      return v_rev;
    end
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function respondent_save(text, boolean, timestamptz, text, text, jsonb, jsonb, text[], boolean,
    text, text, text, bigint, text)`.execute(db);
}
