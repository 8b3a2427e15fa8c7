import type { BindingSubjectType } from '@shopcrew/shared';

/** Vant icon per kind of binding subject. */
export const SUBJECT_ICONS: Readonly<Record<BindingSubjectType, string>> = { department: 'cluster-o', tag: 'label-o', user: 'user-o' };

/** A subject chosen in the picker: what is sent (type, id) and what is shown (name). */
export interface PickedSubject {
  type: BindingSubjectType;
  id: string;
  name: string;
}
