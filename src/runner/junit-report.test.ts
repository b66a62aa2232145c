import { describe, expect, it } from 'vitest';
import { formatJunit } from './junit-report.js';
import type { ScenarioResult } from './run-result.js';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Reads back the small subset of XML 1.0 the report uses, failing on
 * anything a conforming parser would reject there: a character XML cannot
 * carry, a raw `<` or `&`, an unknown entity, unquoted or repeated
 * attributes, unbalanced tags, `]]>` in text.
 */
function readXml(xml: string): XmlElement {
  expect(xml).not.toMatch(
    /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u,
  );

  const decode = (raw: string): string => {
    expect(raw).not.toMatch(/[<]|\]\]>/);
    return raw.replace(/&([^;]*);?/g, (reference: string, name: string) => {
      const named: Record<string, string> = {
        amp: '&',
        lt: '<',
        gt: '>',
        quot: '"',
        apos: "'",
      };
      expect(reference.endsWith(';')).toBe(true);
      if (name.startsWith('#')) {
        return String.fromCodePoint(Number(name.slice(1)));
      }
      expect(Object.keys(named)).toContain(name);
      return named[name]!;
    });
  };

  let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const root: XmlElement = { name: '', attributes: {}, children: [], text: '' };
  const stack = [root];

  while (rest !== '') {
    const top = stack.at(-1)!;
    const tag = /^<(\/?)([A-Za-z]+)((?:\s+[A-Za-z]+="[^"<]*")*)\s*(\/?)>/.exec(
      rest,
    );

    if (tag === null) {
      const end = rest.indexOf('<') === -1 ? rest.length : rest.indexOf('<');
      expect(end).toBeGreaterThan(0);
      top.text += decode(rest.slice(0, end));
      rest = rest.slice(end);
      continue;
    }

    const [whole, closing, name, attributeText, selfClosing] = tag;
    rest = rest.slice(whole.length);

    if (closing === '/') {
      expect(stack.pop()?.name).toBe(name);
      continue;
    }

    const element: XmlElement = {
      name: name!,
      attributes: {},
      children: [],
      text: '',
    };
    for (const [, key, value] of attributeText!.matchAll(
      /([A-Za-z]+)="([^"]*)"/g,
    )) {
      expect(element.attributes).not.toHaveProperty(key!);
      element.attributes[key!] = decode(value!);
    }
    top.children.push(element);
    if (selfClosing !== '/') {
      stack.push(element);
    }
  }

  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

const PASSED: ScenarioResult = {
  name: 'two yoghurts',
  file: 'scenarios/two-yoghurts.yaml',
  passed: true,
  durationMs: 12,
  virtualMs: 12_400,
  failures: [],
};

const NASTY =
  'msg: expected "操作失败", found \'<&"\'>\' ]]> bell\u0007 nul\u0000 lone\uD800 emoji😀';

const FAILED: ScenarioResult = {
  name: '华农酸奶 <two> & "more"',
  file: "scenarios/yoghurt's.yaml",
  passed: false,
  durationMs: 1500,
  virtualMs: 9000,
  failures: [`frame 1 (failure at +3.000s): ${NASTY}`, 'second\ttabbed'],
  transcriptDiff: '--- a\tgolden\n+++ a\tthis run\n-x␍\r\n+x\n',
};

const BROKEN: ScenarioResult = {
  name: 'broken',
  file: 'scenarios/broken.yaml',
  passed: false,
  durationMs: 0,
  virtualMs: 0,
  failures: [],
  error: 'cannot read scenarios/broken.yaml: line 3,\ncolumn 7',
};

describe('formatJunit', () => {
  it('writes a passing run as testsuites, a testsuite and empty testcases', () => {
    expect(formatJunit([PASSED], 'cabinet-emu')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<testsuites name="cabinet-emu" tests="1" failures="0" errors="0" time="0.012">\n' +
        '  <testsuite name="cabinet-emu" tests="1" failures="0" errors="0" time="0.012">\n' +
        '    <testcase name="two yoghurts" classname="scenarios/two-yoghurts.yaml" time="0.012"/>\n' +
        '  </testsuite>\n' +
        '</testsuites>\n',
    );
  });

  it('counts failures and errors apart', () => {
    const suite = readXml(formatJunit([PASSED, FAILED, BROKEN], 'cabinet-emu'))
      .children[0]!;

    expect(suite.attributes).toEqual({
      name: 'cabinet-emu',
      tests: '3',
      failures: '1',
      errors: '1',
      time: '1.512',
    });
    expect(
      suite.children.map((testcase) => testcase.children[0]?.name),
    ).toEqual([undefined, 'failure', 'error']);
  });

  it('escapes names, messages and diffs so that they read back as written', () => {
    const xml = formatJunit([FAILED, BROKEN], 'suite "α" & <β>');
    const report = readXml(xml);
    const [failed, broken] = report.children[0]!.children;
    const failure = failed!.children[0]!;
    const error = broken!.children[0]!;
    const readable = (text: string) =>
      text
        .replace('\u0007', '\\u0007')
        .replace('\u0000', '\\u0000')
        .replace('\uD800', '\\uD800');

    expect(report.attributes.name).toBe('suite "α" & <β>');
    expect(failed!.attributes).toEqual({
      name: '华农酸奶 <two> & "more"',
      classname: "scenarios/yoghurt's.yaml",
      time: '1.500',
    });
    expect(failure.attributes.message).toBe(
      readable(`frame 1 (failure at +3.000s): ${NASTY}`),
    );
    expect(failure.text).toBe(
      readable(
        `frame 1 (failure at +3.000s): ${NASTY}\nsecond\ttabbed\n` +
          '--- a\tgolden\n+++ a\tthis run\n-x␍\r\n+x',
      ),
    );
    expect(error.attributes.message).toBe(
      'cannot read scenarios/broken.yaml: line 3,\ncolumn 7',
    );
    expect(error.text).toBe(
      'cannot read scenarios/broken.yaml: line 3,\ncolumn 7',
    );
  });

  it('never writes a raw control character, a lone surrogate or a CDATA end', () => {
    const xml = formatJunit([FAILED], 'suite');

    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\r]/);
    expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(xml).not.toContain(']]>');
    expect(xml).toContain('emoji😀');
  });
});
