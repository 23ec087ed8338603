import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import {
  ImportReport, cellBoolean, cellDate, cellText, changedFields, checkInput, makeId, runImport, type ImportAction,
  type RowProblems, type SubgraphContext,
} from '../../kit/index.js';
import { Person } from '../entities/person.js';
import { ConsentInput, ContactDetailsInput, CreatePersonInput } from '../inputs/person.inputs.js';
import { PersonImportInput, PersonImportRow } from '../inputs/import.inputs.js';

interface PersonValue {
  familyName: string;
  givenName: string | null;
  columns: Record<string, unknown>;
  consent?: { publicListing?: boolean | null; recordedOn?: string | null; source?: string | null };
}

async function parsePerson(row: PersonImportRow, problems: RowProblems): Promise<PersonValue | undefined> {
  const familyName = cellText(row.familyName) as string;
  const givenName = cellText(row.givenName) ?? null;
  if (!familyName) problems.add('familyName', 'familyName is required');
  const columns = { contactEmail: cellText(row.email), contactPhone: cellText(row.phone), contactAddress: cellText(row.address) };
  const consentGiven = row.publicListing !== undefined || row.consentRecordedOn !== undefined || row.consentSource !== undefined;
  const consent = consentGiven ? {
    publicListing: cellBoolean(problems, 'publicListing', row.publicListing),
    recordedOn: cellDate(problems, 'consentRecordedOn', row.consentRecordedOn),
    source: cellText(row.consentSource),
  } : undefined;
  await checkInput(problems, Object.assign(new CreatePersonInput(), {
    familyName: familyName ?? 'x', givenName,
    contact: Object.assign(new ContactDetailsInput(), { email: columns.contactEmail, phone: columns.contactPhone, address: columns.contactAddress }),
    consent: Object.assign(new ConsentInput(), { publicListing: false, source: consent?.source, recordedOn: consent?.recordedOn }),
  }), {
    'contact.email': 'email', 'contact.phone': 'phone', 'contact.address': 'address', 'consent.source': 'consentSource',
    'consent.recordedOn': 'consentRecordedOn',
  });
  return familyName ? { familyName, givenName, columns, consent } : undefined;
}

@Resolver()
export class PersonImportResolver {
  @Mutation(() => ImportReport, {
    description: 'Imports rows of a file into one region in one transaction: each row creates the person its (region, familyName, '
      + 'givenName) names or updates their contact details and consent; with any invalid row nothing is written and every row '
      + 'error is returned. Roles are not imported.',
  })
  importPeople(@Arg('input', () => PersonImportInput) input: PersonImportInput, @Ctx() ctx: SubgraphContext) {
    return runImport(ctx, input, {
      parse: parsePerson,
      key: (value) => `${value.familyName}\u0000${value.givenName ?? ''}`,
      describe: (value) => `person "${[value.givenName, value.familyName].filter(Boolean).join(' ')}"`,
      async plan(em, rows, region) {
        const names = [...new Set(rows.map((r) => r.value.familyName))];
        const found = names.length ? await em.find(Person, { region, familyName: { $in: names } }) : [];
        return rows.flatMap(({ line, value, problems }): ImportAction[] => {
          const matches = found.filter((p) => p.familyName === value.familyName && (p.givenName ?? null) === value.givenName);
          if (matches.length > 1) problems.add('familyName', `${matches.length} people in ${region} have this name; tell them apart before importing`);
          const person = matches.length === 1 ? matches[0] : undefined;
          const stored = person?.consent;
          const consent = value.consent && {
            publicListing: value.consent.publicListing !== undefined ? value.consent.publicListing ?? false : stored?.publicListing ?? false,
            recordedOn: value.consent.recordedOn !== undefined ? value.consent.recordedOn : stored?.recordedOn ?? null,
            source: value.consent.source !== undefined ? value.consent.source : stored?.source ?? null,
          };
          if (consent?.publicListing && (!consent.recordedOn || !consent.source)) {
            problems.add(consent.recordedOn ? 'consentSource' : 'consentRecordedOn',
              'a public listing needs the date the consent was recorded (consentRecordedOn) and where it is documented (consentSource)');
          }
          if (problems.errors.length) return [];
          const patch = { givenName: value.givenName, familyName: value.familyName, ...value.columns, ...(consent ? { consent } : {}) };
          if (!person) {
            return [{ line, action: 'create', apply: () => { em.create(Person, { ...patch, id: makeId(region, 'person'), region } as never); } }];
          }
          const changed = changedFields(person, patch);
          if (!changed.length) return [{ line, action: 'unchanged' }];
          return [{ line, action: 'update', apply: () => {
            for (const key of changed) {
              if (key === 'consent') Object.assign(person.consent, consent);
              else (person as unknown as Record<string, unknown>)[key] = (patch as Record<string, unknown>)[key];
            }
          } }];
        });
      },
    });
  }
}
