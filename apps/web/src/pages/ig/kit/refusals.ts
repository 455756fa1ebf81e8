import { useState } from 'react';
import { ApiError } from '../../../api';

/** Error text by field id: what the GOV.UK summary links to and what each field shows above its input. */
export type FieldErrors = Record<string, string>;

/**
 * Where a form's refusals go. The api names the field two ways: a validation problem lists JSON pointers in
 * `errors[]` (`/subject/value`), a domain refusal names its rule in the problem `type`
 * (`agreement.art9-basis-required`), which the form maps to the field the rule is about. Anything the form
 * cannot place goes on `fallback` (its first field), so every message still sits next to an input.
 */
export interface RefusalMap {
  /** Problem code (last segment of the type) to field id. */
  codes?: Record<string, string>;
  /** Pointer to field id, where the id is not the pointer's path joined with "-". */
  pointers?: Record<string, string>;
  fallback: string;
  /** The form's field ids; a refusal about a field the form does not show goes on `fallback`. */
  fields?: readonly string[];
}

const sentence = (text: string): string => {
  const t = text.trim();
  if (!t) return 'The service refused this';
  return t[0]!.toUpperCase() + t.slice(1);
};

export function refusalErrors(e: unknown, map: RefusalMap): FieldErrors {
  if (!(e instanceof ApiError)) return { [map.fallback]: 'The service could not be reached. Try again.' };
  const out: FieldErrors = {};
  for (const fe of e.errors) {
    const pointer = fe.pointer.replace(/\/\d+$/, '');
    const named = map.pointers?.[pointer] ?? (pointer.slice(1).replaceAll('/', '-') || map.fallback);
    const field = !map.fields || map.fields.includes(named) ? named : map.fallback;
    out[field] ??= sentence(fe.detail);
  }
  if (Object.keys(out).length > 0) return out;
  const field = map.codes?.[e.code] ?? map.fallback;
  return { [field]: sentence(e.detail || e.title) };
}

/** The state of one form: its errors and whether a submission is in flight (the button is disabled meanwhile). */
export function useFormErrors(map: RefusalMap) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (action: () => Promise<void>): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      await action();
      setErrors({});
    } catch (e) {
      setErrors(refusalErrors(e, map));
    } finally {
      setBusy(false);
    }
  };
  return { errors, setErrors, busy, submit };
}
