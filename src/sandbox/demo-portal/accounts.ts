/**
 * Companies and their contacts. New-business reps own most accounts (in proportion to how many
 * deals they open); account managers own the existing customers.
 */
import {
  CITIES,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
} from './catalog.js';
import { cumulative } from './prng.js';
import type { Rng } from './prng.js';
import { ASSOC, iso } from './world.js';
import type { Props, Ref, World } from './world.js';

const NAME_TAGS = [
  '',
  ' Group',
  ' Holdings',
  ' Inc.',
  ' International',
  ' & Co.',
  ' Worldwide',
  ' Solutions',
];
const EMPLOYEE_BANDS = [12, 25, 40, 75, 120, 200, 350, 600, 1200, 2500, 5000];

/** Build companies and contacts; `scale` grows them sub-linearly with the portal's size. */
export function buildAccounts(w: World, rng: Rng, scale: number): void {
  const { frame, roster } = w;
  const nCompanies = Math.max(40, Math.round(520 * scale));
  const nb = roster.filter((m) => m.params.dealRate > 0 && m.profile !== 'account-manager');
  const am = roster.filter((m) => m.profile === 'account-manager');
  const nbCum = cumulative(nb.map((m) => m.params.dealRate));
  const combos = rng.shuffled(
    COMPANY_PREFIXES.flatMap((p) => COMPANY_SUFFIXES.map((s) => [p, s[0], s[1]] as const)),
  );
  const firstDay = 0;
  const usedEmails = new Set<string>();

  for (let k = 0; k < nCompanies; k++) {
    const combo = combos[k % combos.length] as readonly [string, string, string];
    const round = Math.floor(k / combos.length);
    const tag = NAME_TAGS[round % NAME_TAGS.length] as string;
    const extra = round >= NAME_TAGS.length ? ` ${Math.floor(round / NAME_TAGS.length) + 1}` : '';
    const name = `${combo[0]} ${combo[1]}${tag}${extra}`;
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.com`;
    const customer = am.length > 0 && rng.chance(0.18);
    const owner = customer ? rng.pick(am) : (nb[rng.weighted(nbCum)] ?? rng.pick(roster));
    const [city, state] = rng.pick(CITIES);
    const createdMs = w.workMoment(rng, firstDay + rng.int(frame.anchorDay - firstDay), owner);
    const created = iso(createdMs);
    const id = w.companyId();
    const index = w.objects.companies.length;
    const props: Props = {
      name,
      domain,
      industry: combo[2],
      numberofemployees: String(rng.pick(EMPLOYEE_BANDS)),
      city,
      state,
      hubspot_owner_id: owner.ownerId,
      lifecyclestage: customer ? 'customer' : 'lead',
      createdate: created,
      hs_lastmodifieddate: created,
    };
    w.objects.companies.push({
      id,
      archived: false,
      createdAt: created,
      updatedAt: created,
      properties: props,
    });
    w.companyRefs.push({ type: 'companies', id });
    w.companyNames.push(name);
    w.companyOwner.push(owner.index);
    w.ownerCompanies[owner.index]?.push(index);

    const contacts: number[] = [];
    const nContacts = 1 + rng.int(7);
    for (let c = 0; c < nContacts; c++) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      let email = `${first}.${last}@${domain}`.toLowerCase();
      if (usedEmails.has(email)) email = `${first}.${last}${c + 1}@${domain}`.toLowerCase();
      usedEmails.add(email);
      const [jobtitle, role] = rng.pick(JOB_TITLES);
      // Most contacts follow the account owner; a few belong to someone else or to nobody.
      const roll = rng.next();
      const contactOwner = roll < 0.88 ? owner : roll < 0.95 ? rng.pick(roster) : undefined;
      const cCreated = iso(Math.min(createdMs + rng.int(200) * 86_400_000, frame.nowMs - 3_600_000));
      const cProps: Props = { firstname: first, lastname: last, email, jobtitle };
      // Buying roles are only known for some contacts (reps tag them as deals progress).
      if (role !== '' && rng.chance(0.7)) cProps.hs_buying_role = role;
      if (contactOwner) cProps.hubspot_owner_id = contactOwner.ownerId;
      cProps.lifecyclestage = customer
        ? 'customer'
        : rng.pick(['lead', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead']);
      cProps.associatedcompanyid = id;
      cProps.createdate = cCreated;
      cProps.lastmodifieddate = cCreated;
      const cid = w.contactId();
      const cIndex = w.objects.contacts.length;
      w.objects.contacts.push({
        id: cid,
        archived: false,
        createdAt: cCreated,
        updatedAt: cCreated,
        properties: cProps,
      });
      const ref = { type: 'contacts', id: cid };
      w.contactRefs.push(ref);
      contacts.push(cIndex);
      if (contactOwner) w.ownerContacts[contactOwner.index]?.push(cIndex);
      w.associate(ref, w.companyRefs[index] as Ref, ASSOC.primaryContactToCompany);
    }
    w.companyContacts.push(contacts);
  }
}
