using System.Net;
using Microsoft.EntityFrameworkCore;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>
/// The account forms and the API are limited per client address and per key or account (limits lowered by
/// <see cref="LimitedApp"/>); the click path never is; failed sign-ins slow an account but never lock it.
/// Each test uses addresses of its own, so the tests do not spend each other's limits.
/// </summary>
public sealed class RateLimitTests(LimitedApp app) : IClassFixture<LimitedApp>
{
    private const string Webmaster1Key = "ta_dev_wm1_7Qf3kP9sLx2VbN4c";
    private const string Webmaster2Key = "ta_dev_wm2_Hc8dR5tYm1ZqW6eJ";

    private BrowserSession BrowserAt(string ip)
    {
        var browser = new BrowserSession(app);
        browser.Client.DefaultRequestHeaders.Add(TestClientAddress.Header, ip);
        return browser;
    }

    private HttpClient ApiClient(string ip, string? key)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(TestClientAddress.Header, ip);
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static Task<HttpResponseMessage> SignInAsync(BrowserSession browser, string email, string password) =>
        browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    private static string Nobody() => $"nobody-{Guid.NewGuid():N}@test.local";

    [Fact]
    public async Task The_sign_in_post_after_the_limit_from_one_address_is_429_with_Retry_After()
    {
        using var browser = BrowserAt("203.0.113.10");
        for (var i = 0; i < LimitedApp.AccountPostsPerIp; i++)
        {
            using var allowed = await SignInAsync(browser, Nobody(), "Wrong!pass1");
            allowed.StatusCode.Should().Be(HttpStatusCode.OK, $"post {i + 1} is within the limit");
        }

        using var refused = await SignInAsync(browser, Nobody(), "Wrong!pass1");
        using var otherAddress = await SignInAsync(BrowserAt("203.0.113.11"), Nobody(), "Wrong!pass1");

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.Should().BePositive();
        (await refused.Content.ReadAsStringAsync()).Should().Contain("Too many attempts from your network");
        otherAddress.StatusCode.Should().Be(HttpStatusCode.OK, "the limit is per address");
    }

    [Fact]
    public async Task The_api_call_after_the_limit_with_one_key_is_429_problem_json()
    {
        using var client = ApiClient("203.0.113.20", Webmaster1Key);
        for (var i = 0; i < LimitedApp.ApiCallsPerKey; i++)
        {
            (await client.GetAsync("/api/v1/me/balance")).StatusCode.Should().Be(HttpStatusCode.OK, $"call {i + 1} is within the limit");
        }

        using var refused = await client.GetAsync("/api/v1/me/balance");
        using var sameKeyElsewhere = await ApiClient("203.0.113.21", Webmaster1Key).GetAsync("/api/v1/me/balance");
        using var otherKey = await ApiClient("203.0.113.20", Webmaster2Key).GetAsync("/api/v1/me/balance");

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        refused.Headers.RetryAfter!.Delta.Should().BePositive();
        sameKeyElsewhere.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the limit follows the key, not the address");
        otherKey.StatusCode.Should().Be(HttpStatusCode.OK, "another key has a limit of its own");
    }

    [Fact]
    public async Task Made_up_keys_from_one_address_are_limited_by_the_address()
    {
        for (var i = 0; i < LimitedApp.ApiCallsPerIp; i++)
        {
            (await ApiClient("203.0.113.30", $"made-up-{i}").GetAsync("/api/v1/me/balance")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using var refused = await ApiClient("203.0.113.30", "made-up-again").GetAsync("/api/v1/me/balance");

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Clicks_are_answered_after_the_limits_are_spent()
    {
        const string ip = "203.0.113.40";
        for (var i = 0; i <= LimitedApp.ApiCallsPerIp; i++) await ApiClient(ip, $"spent-{i}").GetAsync("/api/v1/me/balance");
        using var browser = BrowserAt(ip);
        for (var i = 0; i <= LimitedApp.AccountPostsPerIp; i++) await SignInAsync(browser, Nobody(), "Wrong!pass1");
        (await ApiClient(ip, "spent-check").GetAsync("/api/v1/me/balance")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the limits are spent");

        for (var i = 0; i < 30; i++)
        {
            using var click = await browser.GetAsync("/c/gF7kQ2xA");
            click.StatusCode.Should().Be(HttpStatusCode.Redirect, $"click {i + 1} is a shopper's and always redirects");
        }
        using var smartZone = await browser.GetAsync("/z/3");
        ((int)smartZone.StatusCode).Should().BeLessThan(400);
    }

    [Fact]
    public async Task An_unknown_email_costs_one_password_check_like_a_real_account()
    {
        using var browser = BrowserAt("203.0.113.50");
        var before = CountingPasswordHasher.Verifications;
        using var unknown = await SignInAsync(browser, Nobody(), "Wrong!pass1");
        var forUnknown = CountingPasswordHasher.Verifications - before;

        before = CountingPasswordHasher.Verifications;
        using var known = await SignInAsync(BrowserAt("203.0.113.51"), "buyer@taobaoalliance.local", "Wrong!pass1");
        var forKnown = CountingPasswordHasher.Verifications - before;

        (await unknown.Content.ReadAsStringAsync()).Should().Contain("Wrong email or password.");
        (await known.Content.ReadAsStringAsync()).Should().Contain("Wrong email or password.");
        forUnknown.Should().Be(1, "an unknown email still runs the password hasher, so it takes as long as a real one");
        forKnown.Should().Be(1);
    }

    [Fact]
    public async Task Wrong_passwords_from_many_addresses_slow_an_account_but_never_lock_it()
    {
        var email = $"targeted-{Guid.NewGuid():N}@test.local";
        using (var signUp = BrowserAt("203.0.113.60")) await signUp.SignUpAsync(email, "Right!pass1");
        // The sign-up's own sign-in (after confirming the email) was the account's first attempt.
        for (var i = 1; i < LimitedApp.SignInBurstPerAccount; i++)
        {
            using var wrong = await SignInAsync(BrowserAt($"198.51.100.{i + 1}"), email, "Wrong!pass1");
            (await wrong.Content.ReadAsStringAsync()).Should().Contain("Wrong email or password.");
        }

        using var slowed = await SignInAsync(BrowserAt("198.51.100.99"), email, "Wrong!pass1");

        slowed.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await slowed.Content.ReadAsStringAsync()).Should().Contain("Too many sign-in attempts for this account. Wait a minute");
        await using var db = app.NewDb();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        user.LockoutEnd.Should().BeNull("failed sign-ins never lock an account: anyone could lock anyone out");
        user.AccessFailedCount.Should().Be(0);
    }
}
