import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { ApprovalInput, AssigneeOption, CaseDetail, NewCaseInput, OrderPerson, TransitionInput } from '@shopcrew/shared';
import { addCaseNote, assignCase, claimCase, createCase, decideApproval, fetchCase, fetchCaseAssignees, transitionCase } from '@/api/cases';
import { asApiError, type ApiError } from '@/api/http';
import { conflictOf } from '@/composables/cases';
import type { LoadState } from '@/types';
import { useCasesStore, type CaseClaimResult } from './cases';

export type CaseAction = 'claim' | 'assign' | 'transition' | 'note' | 'approve' | 'reject' | 'create';

/** What 同意 / 驳回 came to: decided here, or someone else had decided first (409 already_decided, the case reloaded). */
export type DecisionResult = { decided: true; case: CaseDetail } | { decided: false; by: OrderPerson | null; message: string };

/**
 * One case (GET /api/cases/:id) and what the member does with it: 认领, 分配 / 转交 (with the members it may go
 * to), a transition (with its reason), 备注, 同意 / 驳回 a refund; and 新建售后单. Every action's answer is the
 * case as it is now; it replaces the one shown and the list's row. Opening another case starts from nothing.
 */
export const useCaseStore = defineStore('case', () => {
  const id = ref<number | null>(null);
  const current = ref<CaseDetail | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  /** The action on its way (one at a time). */
  const busy = ref<CaseAction | null>(null);

  const assignees = ref<AssigneeOption[]>([]);
  const assigneesState = ref<LoadState>('idle');
  const assigneesError = ref<ApiError | null>(null);

  /** Bumped when another case is opened, so answers for the one before are dropped. */
  let generation = 0;

  function open(next: number): void {
    if (id.value === next) return;
    generation++;
    id.value = next;
    current.value = null;
    state.value = 'idle';
    error.value = null;
    assignees.value = [];
    assigneesState.value = 'idle';
    assigneesError.value = null;
  }

  /** The case as the server has it now, shown here and in the list. */
  function accept(next: CaseDetail): void {
    if (next.id === id.value) current.value = next;
    useCasesStore().patchRow(next);
  }

  /**
   * Loads case `caseId`. `quiet` (a reload after an action) keeps the case on screen and its error out of the
   * page: only a first load shows the loading and error states.
   */
  async function load(caseId: number, { quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    open(caseId);
    const mine = generation;
    if (!quiet || !current.value) {
      state.value = 'loading';
      error.value = null;
    }
    try {
      const data = await fetchCase(caseId);
      if (mine !== generation) return;
      accept(data);
      state.value = 'done';
      error.value = null;
    } catch (e) {
      if (mine !== generation) return;
      if (quiet && current.value) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  async function act(action: CaseAction, call: () => Promise<CaseDetail>): Promise<CaseDetail> {
    busy.value = action;
    try {
      const next = await call();
      accept(next);
      return next;
    } catch (e) {
      throw asApiError(e);
    } finally {
      busy.value = null;
    }
  }

  /** 认领. When someone was quicker (409 already_claimed) the case is reloaded and the result says who. */
  async function claim(caseId: number): Promise<CaseClaimResult> {
    try {
      return { claimed: true, case: await act('claim', () => claimCase(caseId)) };
    } catch (e) {
      const err = asApiError(e);
      const conflict = conflictOf(err, 'already_claimed');
      if (!conflict) throw err;
      await load(caseId, { quiet: true });
      return { claimed: false, ...conflict };
    }
  }

  /** 分配 / 转交 to `userid`. Throws ApiError. */
  const assign = (caseId: number, userid: string) => act('assign', () => assignCase(caseId, userid));

  /** A transition (409 illegal_transition when the case has moved on, 422 without a needed reason). Throws ApiError. */
  const transition = (caseId: number, input: TransitionInput) => act('transition', () => transitionCase(caseId, input));

  /** 添加备注. Throws ApiError. */
  const addNote = (caseId: number, text: string) => act('note', () => addCaseNote(caseId, text));

  /**
   * 同意 / 驳回. Someone deciding first (409 already_decided) reloads the case and says who. When Shopee refused
   * to act on it (502, 422) the case is reloaded (its approval is `failed` with Shopee's answer) and the ApiError
   * thrown, as for any other failure.
   */
  async function decide(caseId: number, input: ApprovalInput): Promise<DecisionResult> {
    try {
      return { decided: true, case: await act(input.decision, () => decideApproval(caseId, input)) };
    } catch (e) {
      const err = asApiError(e);
      const conflict = conflictOf(err, 'already_decided');
      await load(caseId, { quiet: true });
      if (!conflict) throw err;
      return { decided: false, ...conflict };
    }
  }

  /** 新建售后单: the new case becomes the one shown. Throws ApiError. */
  async function create(input: NewCaseInput): Promise<CaseDetail> {
    busy.value = 'create';
    try {
      const created = await createCase(input);
      open(created.id);
      current.value = created;
      state.value = 'done';
      return created;
    } catch (e) {
      throw asApiError(e);
    } finally {
      busy.value = null;
    }
  }

  /** The members the case may go to, fresh each time the picker opens. */
  async function loadAssignees(caseId: number): Promise<void> {
    open(caseId);
    const mine = generation;
    assigneesState.value = 'loading';
    assigneesError.value = null;
    try {
      const data = await fetchCaseAssignees(caseId);
      if (mine !== generation) return;
      assignees.value = data.members;
      assigneesState.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      assigneesError.value = asApiError(e);
      assigneesState.value = 'error';
    }
  }

  return {
    id,
    current,
    state,
    error,
    busy,
    load,
    claim,
    assign,
    transition,
    addNote,
    decide,
    create,
    assignees,
    assigneesState,
    assigneesError,
    loadAssignees,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCaseStore, import.meta.hot));
