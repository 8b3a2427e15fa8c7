/** The audit CSV export's cells (the platform's encoder: RFC 4180 quoting, CSV-injection neutralising) and binding-subject shapes. */
import { auditCsv, exportFilename } from '../../../server/src/modules/audit/audit-csv';
import { csvCell, formatTime } from '../../../server/src/platform/exports';
import { subjectIdProblem } from '../../../server/src/modules/roles/binding-subject';

describe('csvCell', () => {
  test.each([
    ['plain text', '陈静', '陈静'],
    ['a number', 42, '42'],
    ['null', null, ''],
    ['a comma', 'a,b', '"a,b"'],
    ['quotes', 'say "hi"', '"say ""hi"""'],
    ['a newline', 'line 1\nline 2', '"line 1\nline 2"'],
    ['a carriage return inside', 'a\rb', '"a\rb"'],
    ['a formula', '=1+2', "'=1+2"],
    ['a plus', '+86 138', "'+86 138"],
    ['a minus', '-1', "'-1"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\t=1', "'\t=1"],
    ['a leading carriage return', '\r=1', `"'\r=1"`],
    ['a formula that also needs quotes', '=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    ['= later in the text', 'a=b', 'a=b'],
  ])('%s', (_label, input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});

describe('auditCsv', () => {
  test('BOM, header with the time zone, CRLF rows, labels for known actions', () => {
    const at = Date.UTC(2025, 0, 31, 16, 30, 5); // 2025-02-01 00:30:05 in Shanghai
    const csv = auditCsv(
      [
        {
          id: 7,
          at,
          actor: 'system',
          actorName: null,
          action: 'role.unbind',
          targetType: 'role_binding',
          targetId: '3',
          targetName: '客服部',
          before: { role: 'cs_agent' },
          after: null,
          requestId: 'r-1',
        },
      ],
      'Asia/Shanghai',
    );
    expect(csv.startsWith('\uFEFF时间 (Asia/Shanghai),操作人,')).toBe(true);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFF时间 (Asia/Shanghai),操作人,操作人账号,操作,操作代码,对象类型,对象ID,对象名称,变更前,变更后,请求ID,记录ID',
      '2025-02-01 00:30:05,系统,system,取消授权,role.unbind,授权,3,客服部,"{""role"":""cs_agent""}",,r-1,7',
      '',
    ]);
  });

  test('dates and file names follow the time zone', () => {
    const at = Date.UTC(2025, 0, 31, 16, 30, 5);
    expect(formatTime(at, 'UTC')).toBe('2025-01-31 16:30:05');
    expect(exportFilename(at, 'Asia/Shanghai')).toBe('audit-20250201.csv');
    expect(exportFilename(at, 'UTC')).toBe('audit-20250131.csv');
  });
});

describe('subjectIdProblem', () => {
  test.each([
    ['department', 2],
    ['department', '2'],
    ['tag', '2147483647'],
    ['user', 'lina'],
    ['user', 'li.na@shop-1'],
    ['user', 12345],
    ['user', '王芳'],
  ] as const)('%s %j is acceptable', (type, id) => {
    expect(subjectIdProblem(type, id)).toBeNull();
  });

  test.each([
    ['user', ''],
    ['user', '   '],
    ['user', '\u202e'],
    ['user', 'lina\u202e'],
    ['user', 'li\u200dna'],
    ['user', 'lina\u0000'],
    ['user', 'li na'],
    ['user', 'lina\u00a0'],
    ['user', 'x'.repeat(65)],
    ['department', '02'],
    ['department', '2147483648'],
    ['department', 0],
    ['department', -1],
    ['department', 1.5],
    ['tag', 'abc'],
    ['tag', '\uFEFF1'],
  ] as const)('%s %j is refused', (type, id) => {
    expect(subjectIdProblem(type, id)).toEqual(expect.any(String));
  });
});
