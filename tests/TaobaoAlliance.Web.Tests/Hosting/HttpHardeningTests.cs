using System.Net;
using System.Text;
using TaobaoAlliance.Web.Api;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>What the default test host (not Development) says about itself, and how the API answers errors.</summary>
public sealed class HttpHardeningTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Webmaster1Key = "ta_dev_wm1_7Qf3kP9sLx2VbN4c";

    private HttpClient Client() => app.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public async Task Pages_forbid_the_browsers_powerful_features()
    {
        using var response = await Client().GetAsync("/");

        var policy = response.Headers.GetValues("Permissions-Policy").Single();
        policy.Should().Contain("camera=()").And.Contain("microphone=()").And.Contain("geolocation=()").And.Contain("payment=()");
    }

    [Fact]
    public async Task The_auth_cookie_is_Secure_over_https_and_still_works_over_plain_http()
    {
        using var overHttps = new BrowserSession(app, address: new Uri("https://localhost/"));
        using var overHttp = new BrowserSession(app);

        await overHttps.SignInAsync("buyer@taobaoalliance.local", "Buyer!demo1");
        await overHttp.SignInAsync("buyer@taobaoalliance.local", "Buyer!demo1");

        overHttps.Cookies.GetCookies(overHttps.Address)["alliance_auth"]!.Secure.Should().BeTrue();
        overHttp.Cookies.GetCookies(overHttp.Address)["alliance_auth"]!.Secure.Should().BeFalse("the public site here is plain http, as ./build.sh run serves it");
    }

    [Theory]
    [InlineData("GET", "/api/v1/no-such-route", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v1/orders/events", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/api/v1/me/balance", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/api/v1/me/balance", HttpStatusCode.Unauthorized)]
    public async Task The_api_never_redirects_to_sign_in(string method, string path, HttpStatusCode expected)
    {
        // Signed in to the portal, without an API key: the API still answers as an API.
        using var browser = new BrowserSession(app);
        await browser.SignInAsync("webmaster1@taobaoalliance.local", "Webmaster1!demo");

        using var response = await browser.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.StatusCode.Should().Be(expected);
        response.Headers.Location.Should().BeNull();
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task An_order_event_over_the_size_limit_is_413_and_in_another_content_type_415()
    {
        var huge = "{\"shopId\":1,\"pad\":\"" + new string('x', 300 * 1024) + "\"}";
        using var tooLarge = await PostOrderAsync(huge, "application/json");
        using var wrongType = await PostOrderAsync("{\"shopId\":1}", "text/plain");

        tooLarge.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        tooLarge.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        wrongType.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        wrongType.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task The_openapi_document_is_not_served_outside_Development()
    {
        using var browser = new BrowserSession(app);
        using var anonymous = await browser.GetAsync("/openapi/v1.json");
        await browser.SignInAsync("webmaster1@taobaoalliance.local", "Webmaster1!demo");
        using var signedIn = await browser.GetAsync("/openapi/v1.json");

        anonymous.StatusCode.Should().Be(HttpStatusCode.NotFound, "like any address the portal does not know, whoever asks");
        signedIn.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_good_key_still_reads_its_balance() =>
        (await ApiClient(Webmaster1Key).GetAsync("/api/v1/me/balance")).StatusCode.Should().Be(HttpStatusCode.OK);

    private HttpClient ApiClient(string key)
    {
        var client = Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private async Task<HttpResponseMessage> PostOrderAsync(string body, string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders/events") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new(contentType);
        request.Headers.Add(ShopSignatures.Header, ShopSignatures.Sign(bytes, "ta_dev_shop1_secret_Wv3nB8qLz5", app.Clock.GetUtcNow()));
        return await Client().SendAsync(request);
    }
}

/// <summary>An unhandled error inside an API route, outside Development: problem+json, not the portal's HTML error page.</summary>
public sealed class ApiErrorTests(FailingLedgerApp app) : IClassFixture<FailingLedgerApp>
{
    [Fact]
    public async Task An_unhandled_error_in_the_api_is_a_500_problem()
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "ta_dev_wm1_7Qf3kP9sLx2VbN4c");
        client.DefaultRequestHeaders.Add(TestSeams.FailHeader, "1");

        using var response = await client.GetAsync("/api/v1/me/balance");

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().NotContain("Injected failure");
    }
}

/// <summary>In Development (./build.sh run) the API's errors stay problem+json, and the OpenAPI document is served.</summary>
public sealed class DevelopmentApiTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private const string Webmaster1Key = "ta_dev_wm1_7Qf3kP9sLx2VbN4c";

    private HttpClient ApiClient()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Webmaster1Key);
        return client;
    }

    [Fact]
    public async Task An_unhandled_error_is_a_500_problem_that_does_not_echo_the_api_key()
    {
        using var client = ApiClient();
        client.DefaultRequestHeaders.Add(TestSeams.FailHeader, "1");

        using var response = await client.GetAsync("/api/v1/me/balance");

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain(Webmaster1Key, "the developer exception page would list the request headers").And.NotContain("Injected failure");
    }

    [Fact]
    public async Task A_parameter_that_does_not_bind_is_a_400_problem_that_does_not_echo_the_api_key()
    {
        using var response = await ApiClient().GetAsync("/api/v1/me/commissions?from=not-a-date");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().NotContain(Webmaster1Key);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_in_Development()
    {
        var document = await app.CreateClient().GetStringAsync("/openapi/v1.json");

        document.Should().Contain("/api/v1/orders/events").And.Contain("/api/v1/me/commissions").And.Contain("/api/v1/me/balance");
    }
}

/// <summary>Kestrel itself, on a real port.</summary>
public sealed class KestrelHeaderTests(KestrelApp app) : IClassFixture<KestrelApp>
{
    [Fact]
    public async Task Kestrel_does_not_name_itself_and_the_auth_cookie_is_Secure_for_an_https_site()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = app.BaseUrl };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(BrowserSession.UserAgent);

        using var page = await client.GetAsync("/Account/SignIn");
        var token = AntiforgeryToken.From(await page.Content.ReadAsStringAsync());
        using var signIn = await client.PostAsync("/Account/SignIn", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "buyer@taobaoalliance.local", ["Input.Password"] = "Buyer!demo1", ["__RequestVerificationToken"] = token,
        }));

        page.Headers.Contains("Server").Should().BeFalse("Kestrel's Server header only helps match exploits to versions");
        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var authCookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("alliance_auth=", StringComparison.Ordinal));
        authCookie.Should().Contain("secure", "the public site is https (behind a proxy this request arrives as plain http)");
    }
}
