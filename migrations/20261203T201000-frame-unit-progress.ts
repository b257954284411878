// Progress on a national wave counts a million units per request. Asking the invitation table which units were
// invited and opened a link means aggregating every link of the wave (3.3 s at 1 000 000 units); the same
// question answered from the unit's own row takes 0.3 s. So each unit carries what its links say — invited,
// a link opened, the language of its live invitation — kept by statement-level triggers on invitation, which see
// every writer (issuing a round, reissue, relisting, the respondent's first open) with one set-based UPDATE per
// statement, never one per row.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table frame_unit
    add column invited boolean not null default false,
    add column link_opened boolean not null default false,
    add column invited_locale text`.execute(db);
  await sql`update frame_unit f set invited = true, link_opened = i.opened, invited_locale = i.locale
    from (select frame_unit_id, bool_or(opened_at is not null) as opened,
                 max(locale) filter (where revoked_at is null and purpose <> 'reminder') as locale
          from invitation group by frame_unit_id) i
    where f.id = i.frame_unit_id`.execute(db);
  // A reminder's link does not change the invitation's language; a revoked link leaves the language as it was
  // until its replacement (inserted in the same transaction) sets it.
  await sql`create function frame_unit_note_links() returns trigger language plpgsql as $$
    begin
      update frame_unit f set invited = true,
        link_opened = f.link_opened or l.opened,
        invited_locale = coalesce(l.locale, f.invited_locale)
      from (select frame_unit_id, bool_or(opened_at is not null) as opened,
                   max(locale) filter (where revoked_at is null and purpose <> 'reminder') as locale
            from changed_links group by frame_unit_id) l
      where f.id = l.frame_unit_id
        and (not f.invited or (l.opened and not f.link_opened)
             or (l.locale is not null and l.locale is distinct from f.invited_locale));
      return null;
    end $$`.execute(db);
  await sql`create trigger invitation_inserted_note_unit after insert on invitation
    referencing new table as changed_links for each statement execute function frame_unit_note_links()`.execute(
    db,
  );
  await sql`create trigger invitation_updated_note_unit after update on invitation
    referencing new table as changed_links for each statement execute function frame_unit_note_links()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger invitation_updated_note_unit on invitation`.execute(db);
  await sql`drop trigger invitation_inserted_note_unit on invitation`.execute(db);
  await sql`drop function frame_unit_note_links()`.execute(db);
  await sql`alter table frame_unit drop column invited, drop column link_opened, drop column invited_locale`.execute(
    db,
  );
}
