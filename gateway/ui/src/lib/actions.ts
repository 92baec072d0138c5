import { useState } from 'react';
import { App as AntApp } from 'antd';
import type { FormInstance } from 'antd';
import { ApiError } from './api';
import { fieldErrors, placeErrors } from './forms';

/**
 * Runs a change against the API from a page: its problem (shown by the page with `<Problem>`) or a
 * success message, then {@code after} (a reload). `done` is the message, or a function that reports
 * the answer itself (e.g. a change proposed for review). Answers whether the change went through.
 */
export function useAction(after?: () => void) {
  const { message } = AntApp.useApp();
  const [error, setError] = useState<unknown>(null);
  const act = async <T>(call: () => Promise<T>, done?: string | ((answer: T) => void)): Promise<boolean> => {
    setError(null);
    try {
      const answer = await call();
      if (typeof done === 'function') done(answer);
      else if (done) message.success(done);
      after?.();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  return { error, setError, act };
}

/**
 * Sends a form to the API: clears the fields' earlier API errors, puts new validation errors under
 * their fields (see {@link fieldErrors}; with `nested`, on a form of nested names, {@link placeErrors})
 * and keeps the problem for the form's `<Problem>`; `unplaced` lists the field errors no field shows.
 */
export function useApiForm<V extends object>(form: FormInstance<V>, options: { nested?: boolean } = {}) {
  const [error, setError] = useState<unknown>(null);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const submit = async (values: V, call: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    setUnplaced([]);
    setSaving(true);
    const registered = form.getFieldsError().map((f) => f.name);
    form.setFields([...registered, ...Object.keys(values).map((name) => [name])].map((name) => ({ name, errors: [] })) as never);
    try {
      await call();
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) {
        if (options.nested) {
          const { placed, rest } = placeErrors(e, registered);
          form.setFields(placed as never);
          setUnplaced(rest);
        } else {
          form.setFields(fieldErrors(e, values as Record<string, unknown>) as never);
        }
      }
      setError(e);
      return false;
    } finally {
      setSaving(false);
    }
  };
  return { error, unplaced, saving, submit };
}
