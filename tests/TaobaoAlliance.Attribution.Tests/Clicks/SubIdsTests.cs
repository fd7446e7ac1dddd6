using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Attribution.Tests.Clicks;

public sealed class SubIdsTests
{
    [Fact]
    public void The_click_path_strips_control_characters_trims_and_cuts_to_64()
    {
        var subs = SubIds.Lenient(" a\tb\u200Bc ", "\u0000\r\n", new string('é', 70), "😀" + new string('x', 62) + "😀", null);

        subs.Sub1.Should().Be("abc");
        subs.Sub2.Should().BeNull("nothing printable is left");
        subs.Sub3.Should().Be(new string('é', 64));
        subs.Sub4.Should().HaveLength(64).And.NotEndWith("\uD83D", "a surrogate pair is never split");
        subs.Sub5.Should().BeNull();
    }

    [Theory]
    [InlineData("ok value", true)]
    [InlineData("春季-促销", true)]
    [InlineData("bell\u0007", false)]
    [InlineData("line\nbreak", false)]
    public void The_link_builder_accepts_only_printable_text(string value, bool acceptable) =>
        SubIds.IsAcceptable(value).Should().Be(acceptable);

    [Fact]
    public void A_lone_surrogate_is_not_printable_text() => SubIds.IsAcceptable("lone" + (char)0xD800).Should().BeFalse();

    [Fact]
    public void The_link_builder_names_the_first_bad_sub_id()
    {
        SubIds.Invalid("fine", new string('x', 65), null, null, null, out _).Should().Be("sub2");
        SubIds.Invalid("fine", null, null, null, "also fine", out var subs).Should().BeNull();
        subs.ToQuery().Should().Be("sub1=fine&sub5=also%20fine");
    }

    [Fact]
    public void Sub_ids_are_escaped_when_appended_to_a_link() =>
        new SubIds("a&b=c", null, "#x", null, null).AppendTo("https://alliance.example/c?pid=mm_1_2_3&item=4")
            .Should().Be("https://alliance.example/c?pid=mm_1_2_3&item=4&sub1=a%26b%3Dc&sub3=%23x");
}
