import { reactive } from 'vue';
import { searchMembers } from '@/api/admin';

/**
 * Names for userids a form keeps (a template step's 指定成员): those seen in the member picker, and those of a saved
 * form looked up in the address book (GET /api/org/members?q=). A userid not found is shown as it is.
 */
export function useMemberNames() {
  const names = reactive<Record<string, string>>({});

  function remember(userid: string, name: string): void {
    names[userid] = name;
  }

  async function resolve(userids: readonly string[]): Promise<void> {
    for (const userid of new Set(userids)) {
      if (!userid || names[userid]) continue;
      try {
        const match = (await searchMembers(userid)).members.find((m) => m.userid === userid);
        if (match) names[userid] = match.name;
      } catch {
        /* the userid is shown instead */
      }
    }
  }

  return { names, remember, resolve };
}
