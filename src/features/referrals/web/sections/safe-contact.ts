import type { FieldErrors } from '../../../../platform/http/forms.ts';
import { saveAnswers } from '../../drafts.ts';
import { CHOICES } from '../choices.ts';
import { textOf, toBoolean, yesNo, YES_NO } from '../fields.ts';
import type { QuestionPage } from '../page.ts';
import { defined } from './victim.ts';

/** Where the victim is and how to reach them safely: all of it sealed, and shown only to those who need it. */
export const safeContact: QuestionPage = {
  slug: 'safe-contact',
  title: 'Address and safe contact',
  intro:
    'Only the MARAC coordinator, the IDVA service and you can see the safe contact details. ' +
    'Never give a number or address the perpetrator knows or can reach.',
  fields: () => [
    {
      kind: 'radios',
      name: 'inRefuge',
      label: 'Is the victim in a refuge, to be contacted only through the IDVA service?',
      noun: 'Whether the victim is in a refuge',
      choices: YES_NO,
      inline: true,
    },
    {
      kind: 'textarea',
      name: 'victimAddress',
      label: "The victim's current address",
      noun: "The victim's address",
      hint: 'Leave this blank if the victim is in a refuge.',
      max: 1000,
      rows: 4,
    },
    {
      kind: 'text',
      name: 'phone',
      label: 'Safe phone number',
      noun: 'The safe phone number',
      type: 'tel',
      width: 20,
      max: 40,
    },
    {
      kind: 'text',
      name: 'email',
      label: 'Safe email address',
      noun: 'The safe email address',
      type: 'email',
      max: 320,
    },
    {
      kind: 'radios',
      name: 'safeToCall',
      label: 'Is it safe to call this number?',
      noun: 'Whether it is safe to call',
      choices: YES_NO,
      inline: true,
    },
    {
      kind: 'radios',
      name: 'safeToLeaveMessage',
      label: 'Is it safe to leave a message?',
      noun: 'Whether it is safe to leave a message',
      choices: YES_NO,
      inline: true,
    },
    {
      kind: 'text',
      name: 'safeTimes',
      label: 'Safe times to make contact',
      noun: 'Safe times',
      hint: 'For example, weekdays between 10am and 2pm',
      max: 500,
    },
    {
      kind: 'checkboxes',
      name: 'safeMethods',
      label: 'Safe ways to make contact',
      noun: 'Safe ways',
      choices: CHOICES.safeMethods,
    },
    {
      kind: 'textarea',
      name: 'safeNotes',
      label: 'Anything else about contacting the victim safely (optional)',
      noun: 'Notes on safe contact',
      max: 2000,
      rows: 3,
    },
  ],
  load({ view }) {
    const contact = view.safeContact !== null && !('redacted' in view.safeContact) ? view.safeContact : null;
    return {
      inRefuge: yesNo(view.answers.inRefuge),
      victimAddress: view.victimAddress ?? '',
      phone: contact?.phone ?? '',
      email: contact?.email ?? '',
      safeToCall: yesNo(contact?.safeToCall),
      safeToLeaveMessage: yesNo(contact?.safeToLeaveMessage),
      safeTimes: contact?.safeTimes ?? '',
      safeMethods: contact?.safeMethods ?? [],
      safeNotes: contact?.notes ?? '',
    };
  },
  check(data) {
    const errors: FieldErrors = {};
    if (data['inRefuge'] === 'yes' && data['victimAddress'] !== null) {
      errors['victimAddress'] = 'Leave the address blank when the victim is in a refuge: the IDVA service holds it';
    }
    return errors;
  },
  async save(trx, ctx, { view }, data) {
    const contact = defined({
      phone: data['phone'],
      email: data['email'],
      safeToCall: toBoolean(data['safeToCall']!),
      safeToLeaveMessage: toBoolean(data['safeToLeaveMessage']!),
      safeTimes: data['safeTimes'],
      safeMethods: (data['safeMethods'] as string[] | null)?.length ? data['safeMethods'] : null,
      notes: data['safeNotes'],
    });
    await saveAnswers(trx, ctx, view.id, {
      inRefuge: toBoolean(data['inRefuge']!),
      victimAddress: textOf(data['victimAddress']!),
      safeContact: Object.keys(contact).length > 0 ? contact : null,
    });
  },
  next: () => 'consent',
};
