using System.Net;
using TaobaoAlliance.Attribution.Hooks;

namespace TaobaoAlliance.Attribution.Tests.Hooks;

/// <summary>Postback templates: macros filled URL-encoded, bad templates and internal hosts refused, retries spaced out.</summary>
public sealed class PostbackTemplateTests
{
    private static bool Public(IPAddress a) => !(IPAddress.IsLoopback(a) || a.ToString().StartsWith("10.", StringComparison.Ordinal) || a.ToString().StartsWith("192.168.", StringComparison.Ordinal));

    private static readonly Guid Click = Guid.Parse("0193a5e0-0000-7000-8000-000000000001");

    [Fact]
    public void Every_macro_is_filled_in_url_encoded_so_a_value_cannot_add_a_parameter()
    {
        var values = new PostbackValues(Click, "a b&c=d", "中文", "x/y?z", "#frag", null, 42, 1234, "clawed_back");
        var url = PostbackTemplate.Render(
            "https://t.example/pb?cid={click_id}&s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}&o={order_id}&c={commission_fen}&st={state}", values);
        url.Should().Be("https://t.example/pb?cid=0193a5e0-0000-7000-8000-000000000001&s1=a%20b%26c%3Dd&s2=%E4%B8%AD%E6%96%87&s3=x%2Fy%3Fz"
            + "&s4=%23frag&s5=&o=42&c=1234&st=clawed_back");
        var query = new Uri(url).Query.TrimStart('?').Split('&');
        query.Should().HaveCount(9, "an encoded value adds no parameter");
    }

    [Theory]
    [InlineData("", HookUrlProblem.Missing)]
    [InlineData("   ", HookUrlProblem.Missing)]
    [InlineData("https://t.example/pb?cid={clickid}", HookUrlProblem.UnknownMacro)]
    [InlineData("https://t.example/pb?cid={click_id", HookUrlProblem.UnknownMacro)]
    [InlineData("https://t.example/pb?cid=click_id}", HookUrlProblem.UnknownMacro)]
    [InlineData("ftp://t.example/pb", HookUrlProblem.NotHttp)]
    [InlineData("/pb?cid={click_id}", HookUrlProblem.NotHttp)]
    [InlineData("javascript:alert(1)", HookUrlProblem.NotHttp)]
    [InlineData("https://user:pw@t.example/pb", HookUrlProblem.HasUserInfo)]
    [InlineData("https://{sub1}.t.example/pb", HookUrlProblem.MacroInHost)]
    [InlineData("https://t.example:{order_id}/pb", HookUrlProblem.MacroInHost)]
    public void A_bad_template_is_refused_with_its_reason(string template, HookUrlProblem problem)
    {
        PostbackTemplate.Check(template, allowMacros: true, allowInternal: false, Public).Problem.Should().Be(problem);
    }

    [Fact]
    public void A_template_longer_than_the_limit_is_refused() =>
        PostbackTemplate.Check("https://t.example/" + new string('a', PostbackTemplate.MaxLength), true, false, Public).Problem
            .Should().Be(HookUrlProblem.TooLong);

    [Fact]
    public void A_webhook_url_is_kept_as_typed_with_no_macros_filled() =>
        PostbackTemplate.Check("https://shop.example/hook?x={order_id}", allowMacros: false, allowInternal: false, Public).Template
            .Should().Be("https://shop.example/hook?x={order_id}");

    [Theory]
    [InlineData("http://127.0.0.1:8080/pb")]
    [InlineData("http://localhost/pb")]
    [InlineData("http://api.localhost/pb")]
    [InlineData("http://10.1.2.3/pb")]
    [InlineData("http://192.168.0.10/pb")]
    [InlineData("http://[::1]/pb")]
    [InlineData("http://metadata.internal/pb")]
    public void Loopback_and_private_hosts_are_refused_by_production_rules_and_allowed_by_development_rules(string url)
    {
        PostbackTemplate.Check(url, allowMacros: true, allowInternal: false, Public).Problem.Should().Be(HookUrlProblem.InternalAddress);
        PostbackTemplate.Check(url, allowMacros: true, allowInternal: true, Public).Problem.Should().BeNull();
    }

    [Fact]
    public void A_good_template_is_kept_trimmed()
    {
        var (template, problem) = PostbackTemplate.Check("  https://t.example/pb?cid={click_id}&st={state}  ", true, false, Public);
        problem.Should().BeNull();
        template.Should().Be("https://t.example/pb?cid={click_id}&st={state}");
    }

    [Fact]
    public void Retries_back_off_exponentially_with_jitter_up_to_the_longest_wait_and_stop_after_the_day()
    {
        var retry = new HookRetry(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));
        retry.After(1, 0.5).Should().Be(TimeSpan.FromSeconds(30));
        retry.After(2, 0.5).Should().Be(TimeSpan.FromSeconds(60));
        retry.After(5, 0.5).Should().Be(TimeSpan.FromSeconds(480));
        retry.After(20, 0.5).Should().Be(TimeSpan.FromHours(1));
        retry.After(1, 0).Should().Be(TimeSpan.FromSeconds(24));
        retry.After(1, 0.999999).Should().BeCloseTo(TimeSpan.FromSeconds(36), TimeSpan.FromMilliseconds(1));
        var now = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        retry.Next(now, 3, 0.5, now.AddHours(1)).Should().Be(now.AddMinutes(2));
        retry.Next(now, 20, 0.5, now.AddMinutes(59)).Should().BeNull("the next try would fall after the message's day");
    }
}
