import { t, type MessageKey } from "../../src/i18n";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";

const TOPICS: { title: MessageKey; text: MessageKey }[] = [
  { title: "login.title", text: "help.topic.login" },
  { title: "home.title", text: "help.topic.home" },
  { title: "activation.title", text: "help.topic.activation" },
  { title: "app.classes.name", text: "help.topic.classes" },
  { title: "app.school.name", text: "help.topic.school" },
  { title: "app.schools.name", text: "help.topic.schools" },
  { title: "app.settings.name", text: "help.topic.settings" },
  { title: "app.account.name", text: "help.topic.account" },
  { title: "app.audit.name", text: "help.topic.audit" },
];

export function HelpPage(props: { chrome: Chrome }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("help.title")}</h1>
      <p>{t("help.intro")}</p>
      {TOPICS.map((topic) => (
        <section>
          <h2>{t(topic.title)}</h2>
          <p>{t(topic.text)}</p>
        </section>
      ))}
    </Layout>
  );
}
