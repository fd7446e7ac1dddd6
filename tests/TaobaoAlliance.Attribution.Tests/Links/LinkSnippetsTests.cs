using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Links;

namespace TaobaoAlliance.Attribution.Tests.Links;

public sealed class LinkSnippetsTests
{
    private static readonly Uri Origin = new("https://alliance.example/");

    [Fact]
    public void Links_are_absolute_on_the_portal_origin()
    {
        var snippets = LinkSnippets.Build("Abc12345", new Pid(1, 2, 3), 14, new Money(1999), "/img/items/x.svg", Origin, "Title");

        snippets.ShortUrl.Should().Be("https://alliance.example/c/Abc12345");
        snippets.LongUrl.Should().Be("https://alliance.example/c?pid=mm_1_2_3&item=14");
        snippets.ImageCard.Should().Contain("<img src=\"https://alliance.example/img/items/x.svg\"").And.Contain(">¥19.99</span>");
    }

    [Fact]
    public void An_absolute_image_address_is_kept()
    {
        var snippets = LinkSnippets.Build("Abc12345", new Pid(1, 2, 3), 14, new Money(100), "https://cdn.example/a.png", Origin, "Title");

        snippets.ImageCard.Should().Contain("<img src=\"https://cdn.example/a.png\"");
    }

    [Fact]
    public void Markup_in_the_title_is_escaped_and_chinese_text_is_kept()
    {
        var snippets = LinkSnippets.Build("Abc12345", new Pid(1, 2, 3), 14, new Money(1999), "/x.svg", Origin, "耳机 <b>'新'</b> & more");

        snippets.TextLink.Should().Be("<a href=\"https://alliance.example/c/Abc12345\" target=\"_blank\" rel=\"sponsored noopener\">"
            + "耳机 &lt;b&gt;&#39;新&#39;&lt;/b&gt; &amp; more</a>");
        snippets.ImageCard.Should().NotContain("<b>").And.Contain("rel=\"sponsored noopener\"");
    }

    [Fact]
    public void Codes_are_eight_letters_or_digits_and_differ()
    {
        var codes = Enumerable.Range(0, 100).Select(_ => LinkCodes.New()).ToList();

        codes.Should().OnlyContain(c => c.Length == LinkCodes.Length && c.All(LinkCodes.Alphabet.Contains));
        codes.Distinct().Should().HaveCount(100);
    }
}
