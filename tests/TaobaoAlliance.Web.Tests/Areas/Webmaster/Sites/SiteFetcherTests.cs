using System.Net;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Library;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;

/// <summary>
/// A fact that needs an address of this machine the fetcher counts as public; skipped (and says why) on a
/// machine whose interfaces are all private, where a first hop that is allowed cannot be arranged.
/// </summary>
public sealed class NeedsPublicLookingLocalAddressFactAttribute : FactAttribute
{
    public NeedsPublicLookingLocalAddressFactAttribute()
    {
        if (LocalTestSite.PublicLookingLocalAddress() is null)
        {
            Skip = "This machine has no public-looking local address to serve the first hop from.";
        }
    }
}

/// <summary>The ownership check's fetcher keeps away from loopback and private addresses, also after a redirect.</summary>
public sealed class SiteFetcherTests
{
    private static SiteFetcher Fetcher(bool allowPrivate) =>
        new(Options.Create(new SiteFetchOptions { AllowPrivateAddresses = allowPrivate, TimeoutSeconds = 5 }));

    [Fact]
    public async Task Loopback_is_refused_unless_private_addresses_are_allowed()
    {
        await using var site = LocalTestSite.Serving(LocalTestSite.HomePage(SiteVerification.MetaTag("ta-token")));
        using var strict = Fetcher(allowPrivate: false);
        using var relaxed = Fetcher(allowPrivate: true);

        var refused = await strict.FetchAsync(site.BaseUrl, CancellationToken.None);
        site.Requests.Should().BeEmpty("the connection is refused before anything is sent");
        var allowed = await relaxed.FetchAsync(site.BaseUrl, CancellationToken.None);

        refused.Html.Should().BeNull();
        refused.Error.Should().Contain("internal address");
        allowed.Error.Should().BeNull();
        SiteVerification.PageCarriesToken(allowed.Html!, "ta-token").Should().BeTrue();
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_too()
    {
        await using var site = LocalTestSite.Serving(LocalTestSite.HomePage(""));
        using var strict = Fetcher(allowPrivate: false);

        var result = await strict.FetchAsync(new Uri($"http://localhost:{site.BaseUrl.Port}/"), CancellationToken.None);

        result.Error.Should().Be("localhost resolves to an internal address, which cannot be checked.");
        site.Requests.Should().BeEmpty();
    }

    [NeedsPublicLookingLocalAddressFact]
    public async Task A_redirect_to_a_private_address_is_refused()
    {
        await using var inside = LocalTestSite.Serving(LocalTestSite.HomePage(SiteVerification.MetaTag("ta-token")));
        await using var outside = LocalTestSite.Start(
            path => path == "/page" ? new TestResponse(200, "<html>public page</html>") : new TestResponse(302, "", inside.BaseUrl.AbsoluteUri),
            LocalTestSite.PublicLookingLocalAddress());
        using var strict = Fetcher(allowPrivate: false);

        var direct = await strict.FetchAsync(new Uri(outside.BaseUrl, "/page"), CancellationToken.None);
        var redirected = await strict.FetchAsync(outside.BaseUrl, CancellationToken.None);

        direct.Html.Should().Contain("public page", "the first hop itself is allowed");
        redirected.Html.Should().BeNull();
        redirected.Error.Should().Contain("internal address");
        outside.Requests.Should().Contain("/");
        inside.Requests.Should().BeEmpty("the redirect to loopback was never followed");
    }

    [Fact]
    public async Task Redirects_are_followed_to_the_page_with_the_tag_when_allowed()
    {
        await using var target = LocalTestSite.Serving(LocalTestSite.HomePage(SiteVerification.MetaTag("ta-token")));
        await using var start = LocalTestSite.Start(_ => new TestResponse(301, "", target.BaseUrl.AbsoluteUri));
        using var relaxed = Fetcher(allowPrivate: true);

        var result = await relaxed.FetchAsync(start.BaseUrl, CancellationToken.None);

        SiteVerification.PageCarriesToken(result.Html!, "ta-token").Should().BeTrue();
    }

    [Theory]
    // IPv4: private, loopback, link-local, CGNAT, reserved, multicast
    [InlineData("10.1.2.3", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.216.34", true)]
    // IPv6 of its own
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("2606:4700:4700::1111", true)]
    // IPv4 inside IPv6: mapped, translated, compatible, NAT64, 6to4
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("::ffff:0:127.0.0.1", false)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("::10.0.0.1", false)]
    [InlineData("::169.254.169.254", false)]
    [InlineData("::8.8.8.8", true)]
    [InlineData("64:ff9b::127.0.0.1", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("64:ff9b::192.168.0.1", false)]
    [InlineData("64:ff9b::8.8.8.8", true)]
    [InlineData("64:ff9b:1::8.8.8.8", false)]
    [InlineData("64:ff9b:1::a00:1", false)]
    [InlineData("2002:7f00:0001::", false)]
    [InlineData("2002:0a00:0001::1", false)]
    [InlineData("2002:c0a8:0101::1", false)]
    [InlineData("2002:0808:0808::1", true)]
    // Teredo tunnels to an address that cannot be checked
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)]
    [InlineData("2001::1", false)]
    public void Addresses_are_public_only_when_what_they_reach_is(string address, bool isPublic) =>
        SiteFetcher.IsPublic(IPAddress.Parse(address)).Should().Be(isPublic, address);

    [Fact]
    public async Task A_closed_port_and_a_silent_site_give_the_same_generic_error()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }
        // Accepts connections and never answers: the fetch times out.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var relaxed = new SiteFetcher(Options.Create(new SiteFetchOptions { AllowPrivateAddresses = true, TimeoutSeconds = 1 }));

        var refused = await relaxed.FetchAsync(new Uri($"http://127.0.0.1:{closedPort}/"), CancellationToken.None);
        var timedOut = await relaxed.FetchAsync(new Uri($"http://127.0.0.1:{silentPort}/"), CancellationToken.None);

        refused.Error.Should().Be(SiteFetcher.Unreachable);
        timedOut.Error.Should().Be(SiteFetcher.Unreachable, "a different text would tell an open port from a closed one");
        refused.Error.Should().NotContain(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_fetch_never_goes_through_a_proxy()
    {
        await using var site = LocalTestSite.Serving(LocalTestSite.HomePage(SiteVerification.MetaTag("ta-token")));
        await using var proxy = LocalTestSite.Serving("<html>the proxy answered</html>");
        var previous = HttpClient.DefaultProxy;
        HttpClient.DefaultProxy = new WebProxy(proxy.BaseUrl, BypassOnLocal: false);
        try
        {
            using var relaxed = Fetcher(allowPrivate: true);

            var result = await relaxed.FetchAsync(site.BaseUrl, CancellationToken.None);

            proxy.Requests.Should().BeEmpty("a proxy would connect for the fetcher, past its address check");
            SiteVerification.PageCarriesToken(result.Html!, "ta-token").Should().BeTrue();
        }
        finally
        {
            HttpClient.DefaultProxy = previous;
        }
    }
}
