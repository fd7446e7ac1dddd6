using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Attribution.Tests.Clicks;

public sealed class ClickRulesTests
{
    private const int Limit = 10;

    public const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static readonly ClickFacts Good = new(SiteApproved: true, LinkPaused: false, IsHeadRequest: false, UserAgent: Chrome, RecentClicksFromIpOnSite: 0);

    [Fact]
    public void A_browser_click_on_an_approved_site_is_valid() =>
        ClickRules.Decide(Good, Limit).Should().Be(ClickDecision.Valid);

    [Fact]
    public void A_click_on_a_site_that_is_not_approved_is_invalid() =>
        ClickRules.Decide(Good with { SiteApproved = false }, Limit).Should().Be(ClickDecision.Invalid("site_not_approved"));

    [Fact]
    public void A_click_on_a_paused_link_is_invalid() =>
        ClickRules.Decide(Good with { LinkPaused = true }, Limit).Should().Be(ClickDecision.Invalid("link_paused"));

    [Fact]
    public void A_HEAD_request_is_a_preview() =>
        ClickRules.Decide(Good with { IsHeadRequest = true }, Limit).Should().Be(ClickDecision.Invalid("link_preview"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_click_without_a_user_agent_is_invalid(string? userAgent) =>
        ClickRules.Decide(Good with { UserAgent = userAgent }, Limit).Should().Be(ClickDecision.Invalid("no_user_agent"));

    [Theory]
    [InlineData("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")]
    [InlineData("Twitterbot/1.0")]
    [InlineData("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")]
    [InlineData("WhatsApp/2.23.20.0 A")]
    [InlineData("TelegramBot (like TwitterBot)")]
    [InlineData("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)")]
    [InlineData("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)")]
    [InlineData("Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com")]
    [InlineData("facebookexternalhit/1.1 Facebot Twitterbot/1.0")] // iMessage
    public void Preview_fetchers_are_previews(string userAgent) =>
        ClickRules.Decide(Good with { UserAgent = userAgent }, Limit).Should().Be(ClickDecision.Invalid("link_preview"));

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")]
    [InlineData("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)")]
    [InlineData("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)")]
    [InlineData("Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)")]
    [InlineData("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)")]
    [InlineData("Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)")]
    [InlineData("curl/8.5.0")]
    [InlineData("python-requests/2.31.0")]
    [InlineData("Go-http-client/1.1")]
    [InlineData("Wget/1.21.4")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36")]
    [InlineData("SomeNewCrawler/0.1")]
    public void Known_bots_are_bots(string userAgent) =>
        ClickRules.Decide(Good with { UserAgent = userAgent }, Limit).Should().Be(ClickDecision.Invalid("bot_user_agent"));

    [Theory]
    [InlineData(Chrome)]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/442.0.0.38.105;FBBV/543839017;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]")]
    [InlineData("Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (Linux; U; Android 12; zh-cn; V2118A Build/SP1A.210812.003) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/87.0.4280.141 Mobile Safari/537.36 SogouMobileBrowser/5.36.5")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.41.105 Chrome/130.0.6723.118 Electron/33.2.0 Safari/537.36 Slack_SSB/4.41.105")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.5930")]
    [InlineData("Mozilla/5.0")]
    public void Browsers_and_in_app_browsers_are_not_mistaken_for_bots(string userAgent) =>
        ClickRules.Decide(Good with { UserAgent = userAgent }, Limit).Should().Be(ClickDecision.Valid);

    [Fact]
    public void The_tenth_click_in_a_minute_from_one_ip_is_valid_and_the_eleventh_is_not()
    {
        ClickRules.Decide(Good with { RecentClicksFromIpOnSite = Limit - 1 }, Limit).Should().Be(ClickDecision.Valid);
        ClickRules.Decide(Good with { RecentClicksFromIpOnSite = Limit }, Limit).Should().Be(ClickDecision.Invalid("ip_rate_limit"));
        ClickRules.Decide(Good with { RecentClicksFromIpOnSite = Limit + 1 }, Limit).Should().Be(ClickDecision.Invalid("ip_rate_limit"));
    }

    [Fact]
    public void The_first_matching_reason_wins_in_the_documented_order()
    {
        var everythingWrong = new ClickFacts(SiteApproved: false, LinkPaused: true, IsHeadRequest: true, UserAgent: null, RecentClicksFromIpOnSite: 99);

        ClickRules.Decide(everythingWrong, Limit).InvalidReason.Should().Be("site_not_approved");
        ClickRules.Decide(everythingWrong with { SiteApproved = true }, Limit).InvalidReason.Should().Be("link_paused");
        ClickRules.Decide(everythingWrong with { SiteApproved = true, LinkPaused = false }, Limit).InvalidReason.Should().Be("link_preview");
        ClickRules.Decide(everythingWrong with { SiteApproved = true, LinkPaused = false, IsHeadRequest = false }, Limit)
            .InvalidReason.Should().Be("no_user_agent");
        ClickRules.Decide(Good with { UserAgent = "Twitterbot/1.0", RecentClicksFromIpOnSite = 99 }, Limit)
            .InvalidReason.Should().Be("link_preview", "a preview fetcher is a preview before it is a bot");
        ClickRules.Decide(Good with { UserAgent = "Googlebot/2.1", RecentClicksFromIpOnSite = 99 }, Limit)
            .InvalidReason.Should().Be("bot_user_agent");
    }
}
