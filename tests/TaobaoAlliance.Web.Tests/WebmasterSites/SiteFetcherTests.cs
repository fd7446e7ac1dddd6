using System.Net;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Web.Sites;

namespace TaobaoAlliance.Web.Tests.WebmasterSites;

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
}
