/**
 * Common default and weak passwords, for `weak-credential`. Compared case-insensitively.
 *
 * Sources:
 * - {@link COMMON_PASSWORDS}: the first 400 entries, in order, of the UK National Cyber
 *   Security Centre's "100,000 most used passwords" list (PwnedPasswordsTop100k, April 2019,
 *   compiled with Troy Hunt's Have I Been Pwned from breached accounts), as redistributed in
 *   SecLists, `Passwords/Common-Credentials/100k-most-used-passwords-NCSC.txt`
 *   (https://github.com/danielmiessler/SecLists; MIT License, Copyright (c) 2025 Daniel
 *   Miessler). Skipped while selecting: entries shorter than 4 characters, entries with
 *   upper-case letters (the comparison ignores case, so `Password` is `password`), profanity
 *   and slurs, breach-site artefacts (`myspace1`, `linkedin`, random strings such as
 *   `FQRG7CS493`) and markers that the placeholder rules treat as stand-ins (`xxxxxx`,
 *   `NULL`); nothing else was changed.
 * - {@link DEFAULT_PASSWORDS}: defaults that software ships with or that its documentation
 *   prints: `changeit` (the JDK `cacerts` keystore), `changeme` (Elastic Stack 5 built-in
 *   users, and countless charts), `admin` (Grafana), `guest` (RabbitMQ), `minioadmin` (MinIO
 *   root user), `harbor12345` (Harbor's `harbor_admin_password`), `prom-operator`
 *   (kube-prometheus-stack's Grafana), `neo4j`, `cassandra`, `raspberry` (Raspberry Pi OS user
 *   `pi`), `vagrant` (Vagrant base boxes), `airflow` (Airflow's docker-compose), `zabbix`
 *   (Zabbix frontend), `bitnami` (Bitnami stacks), `admin123` (Nexus Repository 3 before
 *   3.17), `toor` (Kali/BackTrack root), and the passwords people name after the database
 *   (`postgres`, `mysql`, `oracle`) or the role (`root`, `test`, `demo`, `secret`).
 *
 * `changeme` and `changeit` are listed on purpose: the plaintext rules treat them as
 * placeholders, but a manifest applied with one of them runs with that password.
 */

/** Defaults shipped or printed by software (see the module comment for where each is from). */
export const DEFAULT_PASSWORDS: readonly string[] = `
admin administrator password passw0rd p@ssw0rd p@ssword changeme changeit root toor postgres
mysql oracle letmein secret supersecret topsecret s3cr3t secret123 guest default test testing
demo welcome admin123 root123 password123 pass123 pass passwd qwerty 123456 minioadmin minio123
harbor12345 prom-operator neo4j cassandra raspberry vagrant airflow zabbix bitnami
`
  .trim()
  .split(/\s+/);

/** The most used passwords of breached accounts (NCSC / Have I Been Pwned, 2019). */
export const COMMON_PASSWORDS: readonly string[] = `
123456789 111111 12345678 abc123 1234567 password1 12345 1234567890 123123 000000 iloveyou 1234
1q2w3e4r5t qwertyuiop monkey dragon 123456a 654321 123321 666666 1qaz2wsx 121212 123qwe a123456
123abc 1q2w3e4r qwe123 7777777 qwerty123 987654321 qwerty1 222222 zxcvbnm 555555 112233
asdfghjkl 1q2w3e 123123123 qazwsx computer princess 12345a ashley 159753 michael football
sunshine 1234qwer iloveyou1 aaaaaa 789456123 daniel 777777 princess1 123654 11111 asdfgh 999999
11111111 888888 love abcd1234 shadow football1 love123 superman jordan23 jessica monkey1
12qwaszx a12345 baseball 123456789a asdf samsung master azerty charlie asd123 soccer 88888888
jordan michael1 jesus1 babygirl1 789456 blink182 thomas qwer1234 333333 liverpool michelle
nicole qwert 131313 asdasd 987654 lovely q1w2e3r4 0123456789 gfhjkm andrew hello1 joshua justin
anthony angel1 iloveyou2 1111111 zxcvbn hello 1111 jennifer hunter naruto 159357 101010 tigger
147258369 babygirl jessica1 parola 5201314 robert 696969 102030 0987654321 loveme 123456q apple
pokemon mother money1 anthony1 purple q1w2e3r4t5y6 baseball1 qazwsxedc 1111111111 buster matthew
andrea soccer1 basketball hannah freedom golfer chelsea george trustno1 friends william iloveu
amanda number1 chocolate qwerty12 summer flower charlie1 maggie pakistan samantha asdf1234
superman1 marina 147258 batman butterfly 010203 qweqwe forever mustang sunshine1 ashley1
internet london harley alexander xbox360 00000000 12341234 q1w2e3 pepper family loveyou 50cent
joseph whatever jasmine orange user junior cookie martin qweasdzxc 212121 1qazxsw2 password12
google password2 111222 lol123 hello123 jordan1 shadow1 patrick ginger nicole1 mylove arsenal
12344321 abcdef love12 232323 taylor brandon angel 12345q brandon1 chris1 diamond snoopy qweasd
starwars matrix mickey school jonathan melissa eminem 1234561 lovers 1234567891 nikita richard
yellow 12345qwert oliver q1w2e3r4t5 cheese a123456789 christian 12345678910 sophie bailey
mercedes victoria 147852 matthew1 abcdefg peanut 456789 red123 happy1 sandra benjamin dragon1
444444 123654789 elizabeth prince amanda1 angels angela qqqqqq samuel banana barcelona ghbdtn
computer1 michelle1 william1 hockey monster carlos justin1 antonio qwertyu nathan 55555 123789
0000 11223344 chicken lucky1 gabriel welcome1 zaq12wsx jasmine1 silver hunter1 bubbles purple1
andrew1 daniel1 liverpool1 1qaz2wsx3edc rainbow morgan natasha jackson austin vanessa mommy1
madison adidas 252525 america james1 metallica slipknot chicken1 87654321 jesus 0000000000
alexis spiderman steven ferrari lauren 456123 robert1 147852369 qwaszx buddy1 butterfly1
tinkerbell bandit danielle 0123456 nicholas hannah1 qwerty12345 1234554321 asdfasdf pokemon1
nirvana destiny scooter cookie1 123qweasd loveme1 chelsea1 chocolate1 1234567a juventus rachel
qazxsw zzzzzz monica stella america1 999999999 jennifer1 freedom1 taylor1 741852963 yamaha
victor 00000 qwertyui a1b2c3 ronaldo 1password smokey david1 money daddy1 cocacola 1234abcd
joshua1 123asd buster1 booboo madison1 samantha1 heather 7654321 elizabeth1 poop tigger1 family1
mustang1 142536 november jasper lovely1 diamond1 success edward music1 valentina
`
  .trim()
  .split(/\s+/);

const WEAK: ReadonlySet<string> = new Set([...DEFAULT_PASSWORDS, ...COMMON_PASSWORDS]);

/**
 * True when `value` is a common default or weak password, ignoring case and one trailing line
 * break (the `echo` without `-n` mistake leaves the password just as weak).
 */
export function isWeakPassword(value: string): boolean {
  return WEAK.has(value.replace(/\r?\n$/, '').toLowerCase());
}
