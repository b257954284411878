// A respondent's save, rewritten for speed (issue 12); its meaning is unchanged from
// 20261204T100000-respondent-save-function.ts, whose comment says what it checks (ADR 4, ADR 5).
//
// The earlier body did the merge as one INSERT … ON CONFLICT DO UPDATE whose SET and WHERE walked the saved keys in
// five subqueries, each looking them up again in the stored answer_meta: measured on PostgreSQL 15, those
// expressions were half of a save's time in the database. Here the unit's response is locked and read once, one
// loop over the saved keys decides each key (a conflict refuses the whole save; a key overtaken by a later save of
// the same device is held back; null clears), and one UPDATE applies the result: about 30 % less database time per
// save (bench/respondent.ts). A unit's first save still creates its response; a create that races another waits
// for that one and merges into it.
import { type Kysely, sql } from 'kysely';
import * as earlier from './20261204T100000-respondent-save-function.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create or replace function respondent_save(
      p_token_hash text, p_main boolean, p_now timestamptz, p_at text, p_locale text, p_answers jsonb,
      p_bases jsonb, p_sections text[], p_has_page boolean, p_page text, p_by text, p_device text,
      p_seq bigint, p_device_class text)
    returns bigint language plpgsql
    set plan_cache_mode = force_generic_plan
    as $fn$
    declare
      page_key text := case when p_main then '$page' else '$page:' || p_by end;
      v_unit uuid;
      v_wave uuid;
      v_version uuid;
      v_language text;
      v_rev bigint;
      v_meta jsonb;
      r record;
      k text;
      v jsonb;
      m jsonb;
      meta_add jsonb := '{}'::jsonb;
      cleared text[] := '{}';
      held text[] := '{}';
      v_page_held boolean := false;
    begin
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
      v_rev := nextval('answer_revision');
      v_meta := jsonb_strip_nulls(jsonb_build_object('by', p_by, 'dev', p_device, 'at', p_at, 'rev', v_rev,
                                                      'seq', p_seq));
      loop
        select x.status, x.answers, x.answer_meta, x.locales_used into r
          from response x where x.frame_unit_id = v_unit for update;
        exit when found;
        -- The unit's first save: its response starts with it.
        insert into response (wave_id, frame_unit_id, instrument_version_id, locale, locales_used, answers,
                              answer_meta, current_page, device_class, started_at, updated_at, last_saved_at)
        values (v_wave, v_unit, v_version, v_language, array[v_language],
                coalesce((select jsonb_object_agg(e.key, e.value) from jsonb_each(p_answers) e
                          where e.value <> 'null'::jsonb), '{}'::jsonb),
                coalesce((select jsonb_object_agg(e.key, v_meta) from jsonb_each(p_answers) e), '{}'::jsonb)
                  || case when p_has_page
                       then jsonb_build_object(page_key, v_meta || jsonb_build_object('page', p_page, 'locale', v_language))
                       else '{}'::jsonb end,
                case when p_main then p_page end, p_device_class, p_now, p_now, p_now)
        on conflict (frame_unit_id) do nothing;
        if found then
          return v_rev;
        end if;
        -- Another save created it meanwhile: lock that one.
      end loop;
      if r.status <> 'in_progress' then
        return null;
      end if;
      for k, v in select e.key, e.value from jsonb_each(p_answers) e loop
        m := r.answer_meta -> k;
        if m is not null then
          if (m ->> 'by') = p_by and coalesce(m ->> 'dev', '') = p_device then
            -- The same writer and device: a late save, overtaken by a later one of its own, leaves the key.
            if p_seq < (m ->> 'seq')::bigint and (m ->> 'dev') = p_device then
              held := held || k;
              continue;
            end if;
          elsif coalesce((m ->> 'rev')::bigint, 0) <> coalesce((p_bases ->> k)::bigint, 0)
                and (r.answers -> k) is distinct from nullif(v, 'null'::jsonb) then
            return null;
          end if;
        end if;
        if v = 'null'::jsonb then cleared := cleared || k; end if;
        meta_add := meta_add || jsonb_build_object(k, v_meta);
      end loop;
      m := r.answer_meta -> page_key;
      v_page_held := coalesce(p_seq < (m ->> 'seq')::bigint and (m ->> 'by') = p_by
                              and (m ->> 'dev') = p_device, false);
      update response x set
        answers = (x.answers - cleared) || (p_answers - held - cleared),
        answer_meta = x.answer_meta
          || meta_add
          || case when p_has_page and not v_page_held
               then jsonb_build_object(page_key, v_meta || jsonb_build_object('page', p_page, 'locale', v_language))
               else '{}'::jsonb end,
        current_page = case when p_main and p_has_page and not v_page_held then p_page else x.current_page end,
        locale = case when p_main and not v_page_held then v_language else x.locale end,
        locales_used = case when v_language = any(x.locales_used) then x.locales_used
                            else x.locales_used || v_language end,
        device_class = coalesce(p_device_class, x.device_class),
        updated_at = p_now,
        last_saved_at = p_now
      where x.frame_unit_id = v_unit;
      return v_rev;
    end
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await earlier.down(db);
  await earlier.up(db);
}
