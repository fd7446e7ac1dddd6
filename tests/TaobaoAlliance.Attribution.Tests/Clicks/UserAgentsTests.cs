using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Attribution.Tests.Clicks;

public sealed class UserAgentsTests
{
    [Fact]
    public void The_shipped_list_names_the_common_preview_fetchers_and_bots()
    {
        var list = UserAgents.Default;

        list.Previews.Should().Contain(["facebookexternalhit", "Twitterbot", "Slackbot", "WhatsApp", "TelegramBot", "Discordbot",
            "LinkedInBot", "SkypeUriPreview"]);
        list.Bots.Should().Contain(["Googlebot", "bingbot", "Baiduspider", "YandexBot", "curl/", "python-requests", "Go-http-client",
            "HeadlessChrome", "spider", "crawler", "bot"]);
        list.Previews.Concat(list.Bots).Should().NotContain(entry => "Mozilla/5.0 AppleWebKit Safari Gecko Chrome Firefox".Contains(entry, StringComparison.OrdinalIgnoreCase),
            "an entry every browser carries would make every click invalid");
    }

    [Fact]
    public void The_list_file_has_sections_comments_and_one_substring_a_line()
    {
        var list = UserAgents.Parse("""
            # comment
            [preview]
            PreviewFetcher   # trailing comment

            [bot]
            bot
            [not-bot]
            RoBOTphone
            """);

        list.Previews.Should().Equal("PreviewFetcher");
        list.Bots.Should().Equal("bot");
        list.Classify("x previewfetcher/1.0").Should().Be(UserAgentKind.Preview);
        list.Classify("SOMEBOT/2").Should().Be(UserAgentKind.Bot);
        list.Classify("Mozilla/5.0 (Linux; RoBOTphone)").Should().Be(UserAgentKind.Browser, "the device name is removed before matching");
        list.Classify("Mozilla/5.0 (Linux; RoBOTphone) SomeBot/1").Should().Be(UserAgentKind.Bot, "only the device name is removed");
        list.Classify("").Should().Be(UserAgentKind.Missing);
    }

    [Theory]
    [InlineData("[previews]\nx")]
    [InlineData("x\n[bot]\ny")]
    public void A_malformed_list_fails_loudly(string text) =>
        FluentActions.Invoking(() => UserAgents.Parse(text)).Should().Throw<FormatException>();
}
