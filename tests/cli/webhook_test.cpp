// `wangge webhook` keeps signing secrets encrypted with the data key, and seals the plain
// secrets an older version left, through the real binary, on both databases.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/app.h"
#include "cli/child.h"
#include "org/service.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;

class WebhookCliTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url(GetParam());
    key_ = (testing::temp_dir("webhook-cli") / "data.key").string();
    env_ = {"WANGGE_KEY_FILE=" + key_};
    Vault::from_key_file(key_, true);
    auto db = open_database(url_);
    db->transact([&](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
    });
  }

  std::pair<int, std::string> wangge(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.end(), {"--db", url_});
    auto [status, out] = run_with_input(args, env_, input);
    return {WEXITSTATUS(status), out};
  }

  // The stored (secret, secret_enc) of every webhook, by id.
  std::vector<std::pair<std::string, std::optional<Bytes>>> stored() {
    auto db = store::Database::open(url_);
    auto tx = db->begin(store::TxMode::read);
    std::vector<std::pair<std::string, std::optional<Bytes>>> out;
    for (const auto& r : tx->query("SELECT secret, secret_enc FROM notify_webhooks ORDER BY id")) {
      out.emplace_back(r.text(0), r.is_null(1) ? std::nullopt : std::optional(r.blob(1)));
    }
    return out;
  }

  std::string url_, key_;
  std::vector<std::string> env_;
};

TEST_P(WebhookCliTest, SecretsAreStoredEncryptedAndOldPlainOnesSealed) {
  const std::string secret = "SECcli-signing-secret-8d21";
  auto [added, add_out] =
      wangge({"webhook", "add", "--org", "530621000000", "--kind", "dingtalk", "--url-stdin",
              "--secret-stdin"},
             "https://oapi.dingtalk.com/robot/send?access_token=t\n" + secret + "\n");
  ASSERT_EQ(added, 0) << add_out;
  EXPECT_EQ(add_out.find("警告"), std::string::npos) << add_out;
  auto [unsigned_add, unsigned_out] =
      wangge({"webhook", "add", "--org", "530621000000", "--kind", "json", "--url", "http://h/x"});
  ASSERT_EQ(unsigned_add, 0) << unsigned_out;
  Vault vault = Vault::from_key_file(key_, false);
  auto rows = stored();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].first, "");
  ASSERT_TRUE(rows[0].second);
  EXPECT_EQ(std::string(rows[0].second->begin(), rows[0].second->end()).find(secret),
            std::string::npos);
  EXPECT_EQ(vault.decrypt(*rows[0].second), secret);
  EXPECT_FALSE(rows[1].second) << "no secret, nothing stored";

  // A row as the first version wrote it: the secret in clear.
  {
    auto db = store::Database::open(url_);
    db->transact([](store::Tx& tx) {
      tx.exec(
          "INSERT INTO notify_webhooks (org_code, kind, url, secret, created_at) "
          "VALUES ('530621000000', 'json', 'http://h/old', 'old-plain-secret', 0)");
    });
  }
  auto [listed, list] = wangge({"webhook", "list"});
  ASSERT_EQ(listed, 0) << list;
  EXPECT_EQ(list.find(secret), std::string::npos) << list;
  EXPECT_EQ(list.find("old-plain-secret"), std::string::npos) << list;
  EXPECT_NE(list.find("http://h/…\t(signed)"), std::string::npos) << list;
  EXPECT_NE(list.find("https://oapi.dingtalk.com/…\t(signed)"), std::string::npos) << list;
  EXPECT_EQ(list.find("access_token"), std::string::npos) << list;
  rows = stored();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].first, "");
  ASSERT_TRUE(rows[2].second);
  EXPECT_EQ(vault.decrypt(*rows[2].second), "old-plain-secret");
}

TEST_P(WebhookCliTest, AnotherDataKeyCannotReadTheSecrets) {
  auto [added, out] = wangge({"webhook", "add", "--org", "530621000000", "--kind", "json", "--url",
                              "http://h/x", "--secret", "k1"});
  ASSERT_EQ(added, 0) << out;
  EXPECT_NE(out.find("--secret-stdin"), std::string::npos) << "the old flag warns: " << out;
  std::string other = (testing::temp_dir("webhook-cli-other") / "other.key").string();
  Vault::from_key_file(other, true);
  env_ = {"WANGGE_KEY_FILE=" + other};
  auto [listed, list] = wangge({"webhook", "list"});
  EXPECT_NE(listed, 0) << list;
  EXPECT_EQ(list.find("k1"), std::string::npos) << list;
}

TEST_P(WebhookCliTest, IntranetTargetsNeedTheFlagAndChangesAreAudited) {
  auto [refused, refused_out] = wangge({"webhook", "add", "--org", "530621000000", "--kind", "json",
                                        "--url", "http://127.0.0.1:9/hook"});
  EXPECT_EQ(refused, 2) << refused_out;
  EXPECT_NE(refused_out.find("--may-reach-intranet"), std::string::npos) << refused_out;
  auto [allowed, allowed_out] = wangge({"webhook", "add", "--org", "530621000000", "--kind", "json",
                                        "--url", "http://10.20.0.5/hook", "--may-reach-intranet"});
  ASSERT_EQ(allowed, 0) << allowed_out;
  auto [removed, removed_out] = wangge({"webhook", "remove", "--id", "1"});
  ASSERT_EQ(removed, 0) << removed_out;
  auto db = store::Database::open(url_);
  auto tx = db->begin(store::TxMode::read);
  std::vector<std::string> actions;
  for (const auto& r : tx->query("SELECT action FROM audit_log ORDER BY id")) {
    actions.push_back(r.text(0));
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"webhook.add", "webhook.remove"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookCliTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::cli
