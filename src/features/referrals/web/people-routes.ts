// The list pages for perpetrators, children and household members, and the form for each person.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FieldErrors } from '../../../platform/http/forms.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { saveAnswers } from '../drafts.ts';
import { inRequest } from '../context.ts';
import { addPerson, removePerson, updatePerson } from '../people.ts';
import type { ReferralView } from '../queries.ts';
import { label } from './choices.ts';
import type { ReferralDeps } from './deps.ts';
import { readForm, toBoolean, withDefaults, yesNo, YES_NO, type Field, type FormValues } from './fields.ts';
import { isEditable, londonToday, ownReferral, pathId } from './own.ts';
import { referralPath } from './page.ts';
import { PEOPLE_PAGES, type PeoplePage } from './people-pages.ts';
import { afterSave, inPageOrder } from './question-routes.ts';

const own = { permission: 'referral.own' } as const;

const anyField = (page: PeoplePage): Field | null =>
  page.anyQuestion
    ? { kind: 'radios', name: page.anyQuestion.name, label: page.anyQuestion.label, choices: YES_NO, inline: true }
    : null;

function listed(view: ReferralView, page: PeoplePage) {
  return view.people
    .filter((p) => p.role === page.role)
    .map((p) => ({
      id: p.id,
      givenNames: p.givenNames,
      familyName: p.familyName,
      summary: [
        p.attributes.unborn ? 'Unborn' : '',
        label('relationship', p.relationship),
        p.dateOfBirth ? `Born ${p.dateOfBirth.split('-').reverse().join('/')}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    }));
}

export async function peopleRoutes(app: FastifyInstance, { db, clock, keyring }: ReferralDeps) {
  for (const page of PEOPLE_PAGES) {
    const base = `/referrals/:referralId/${page.slug}`;

    const list = (reply: FastifyReply, view: ReferralView, values: FormValues, errors?: FieldErrors) => {
      const field = anyField(page);
      return reply.code(errors ? 400 : 200).view('features/referrals/web/people-list.njk', {
        page,
        referralId: view.id,
        people: listed(view, page),
        removable: view.status === 'draft',
        anyField: field,
        values: field ? withDefaults([field], values) : values,
        errors,
      });
    };

    app.get(base, { config: { ...own, audit: 'referral.viewed' } }, async (request, reply) => {
      const id = pathId(request, 'referralId');
      const view = await inRequest(db, request, keyring, (trx, ctx) => ownReferral(trx, ctx, id));
      if (!isEditable(view)) return reply.redirect(referralPath(id), 303);
      const any = page.anyQuestion ? view.answers[page.anyQuestion.name] : undefined;
      return list(reply, view, page.anyQuestion ? { [page.anyQuestion.name]: yesNo(any) } : {});
    });

    app.post(base, { config: { ...own, audit: 'referral.updated' } }, async (request, reply) => {
      const id = pathId(request, 'referralId');
      const outcome = await inRequest(db, request, keyring, async (trx, ctx) => {
        const view = await ownReferral(trx, ctx, id);
        if (!isEditable(view)) return { redirect: referralPath(id) };
        const field = anyField(page);
        const form = readForm(field ? [field] : [], request.body, londonToday(clock()));
        if (Object.keys(form.errors).length > 0) return { view, values: form.values, errors: form.errors };
        if (page.anyQuestion) {
          await saveAnswers(trx, ctx, id, { [page.anyQuestion.name]: toBoolean(form.data[page.anyQuestion.name]!) });
        }
        return { redirect: afterSave(request, id, page.next) };
      });
      if ('redirect' in outcome) return reply.redirect(outcome.redirect!, 303);
      return list(reply, outcome.view, outcome.values, outcome.errors);
    });

    const form = (
      reply: FastifyReply,
      view: ReferralView,
      action: string,
      values: FormValues,
      errors?: FieldErrors,
    ) => {
      const fields = page.fields(view);
      return reply.code(errors ? 400 : 200).view('features/referrals/web/person.njk', {
        title: `${page.title}: ${action.endsWith('/add') ? `add a ${page.one}` : `change a ${page.one}`}`,
        referralId: view.id,
        action,
        fields,
        values: withDefaults(fields, values),
        errors,
      });
    };

    // Adding (personId null) or changing a person.
    const personRoutes = (suffix: string, personOf: (params: unknown) => string | null) => {
      app.get(`${base}/${suffix}`, { config: { ...own, audit: 'referral.viewed' } }, async (request, reply) => {
        const id = pathId(request, 'referralId');
        const personId = personOf(request);
        const view = await inRequest(db, request, keyring, (trx, ctx) => ownReferral(trx, ctx, id));
        if (!isEditable(view)) return reply.redirect(referralPath(id), 303);
        let values: FormValues = {};
        if (personId !== null) {
          const person = view.people.find((p) => p.id === personId && p.role === page.role);
          if (!person) throw notFound();
          values = page.load(person, view.personDetails[person.id] ?? {});
        }
        return form(reply, view, request.url, values);
      });

      app.post(`${base}/${suffix}`, { config: { ...own, audit: 'referral.updated' } }, async (request, reply) => {
        const id = pathId(request, 'referralId');
        const personId = personOf(request);
        const outcome = await inRequest(db, request, keyring, async (trx, ctx) => {
          const view = await ownReferral(trx, ctx, id);
          if (!isEditable(view)) return { redirect: referralPath(id) };
          if (personId !== null && !view.people.some((p) => p.id === personId && p.role === page.role)) {
            throw notFound();
          }
          const fields = page.fields(view);
          const read = readForm(fields, request.body, londonToday(clock()));
          const errors = { ...page.check(read.data), ...read.errors };
          if (Object.keys(errors).length > 0) {
            return { view, values: read.values, errors: inPageOrder(errors, fields) };
          }
          const input = page.input(read.data, view);
          if (personId === null) await addPerson(trx, ctx, id, input);
          else await updatePerson(trx, ctx, id, personId, input);
          const later = (request.body as Record<string, unknown>)['action'] === 'later';
          return { redirect: later ? '/referrals' : referralPath(id, page.slug) };
        });
        if ('redirect' in outcome) return reply.redirect(outcome.redirect!, 303);
        return form(reply, outcome.view, request.url, outcome.values, outcome.errors);
      });
    };
    personRoutes('add', () => null);
    personRoutes(':personId', (request) => pathId(request as never, 'personId'));

    app.post(`${base}/:personId/remove`, { config: { ...own, audit: 'referral.updated' } }, async (request, reply) => {
      const id = pathId(request, 'referralId');
      const personId = pathId(request, 'personId');
      await inRequest(db, request, keyring, async (trx, ctx) => {
        const view = await ownReferral(trx, ctx, id);
        if (!view.people.some((p) => p.id === personId && p.role === page.role)) throw notFound();
        await removePerson(trx, ctx, id, personId);
      });
      return reply.redirect(referralPath(id, page.slug), 303);
    });
  }
}
