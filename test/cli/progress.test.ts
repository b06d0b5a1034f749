import { ProgressBar } from '../../src/cli/progress';

describe('ProgressBar', () => {
  it('shows domains, questions a second, unanswered questions and the time left', () => {
    let now = 0;
    const bar = new ProgressBar({ write: () => undefined }, () => now);
    now = 2000;
    const line = bar.render({
      domainsDone: 100,
      domainsTotal: 400,
      questionsDone: 1000,
      questionsTotal: 2800,
      questionsFailed: 3,
    });
    expect(line).toMatch(/100\/400 domains {2}50\.0\/s {2}500 q\/s {2}3 unanswered {2}ETA 6s$/);
    expect(
      bar.render({ domainsDone: 400, domainsTotal: 400, questionsDone: 2800, questionsTotal: 2800 }),
    ).toMatch(/done$/);
  });
});
