using System.Buffers.Text;
using System.Text;
using TaobaoAlliance.Attribution.Cpc;

namespace TaobaoAlliance.Attribution.Tests.Cpc;

public sealed class ClickTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly ClickTokens Tokens = new(Encoding.UTF8.GetBytes("a-test-key-that-is-32-bytes-long!!"));
    private static readonly ClickTicket Ticket = new(CampaignId: 12, ZoneId: 34, ItemId: 56, Guid.CreateVersion7(Now), new Money(30), Now.AddHours(1));

    [Fact]
    public void A_token_reads_back_as_the_ticket_it_was_issued_for()
    {
        Tokens.Check(Tokens.Issue(Ticket), Now, out var read).Should().Be(TicketCheck.Valid);

        read.Should().Be(Ticket);
    }

    [Fact]
    public void Changing_any_byte_of_a_token_makes_it_forged()
    {
        var bytes = Base64Url.DecodeFromChars(Tokens.Issue(Ticket));
        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;

            Tokens.Check(Base64Url.EncodeToString(tampered), Now, out _).Should().Be(TicketCheck.Forged, $"byte {i} was changed");
        }
    }

    [Fact]
    public void A_token_signed_with_another_key_is_forged() =>
        new ClickTokens(Encoding.UTF8.GetBytes("another-key-that-is-32-bytes-long!"))
            .Check(Tokens.Issue(Ticket), Now, out _).Should().Be(TicketCheck.Forged);

    [Fact]
    public void A_token_expires_at_its_expiry_time()
    {
        var token = Tokens.Issue(Ticket);

        Tokens.Check(token, Ticket.ExpiresAt.AddSeconds(-1), out _).Should().Be(TicketCheck.Valid);
        Tokens.Check(token, Ticket.ExpiresAt, out var read).Should().Be(TicketCheck.Expired);
        read!.ImpressionId.Should().Be(Ticket.ImpressionId, "an expired ticket is still authentic, so its click can be recorded as expired");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("AAAA")]
    [InlineData("%00%00")]
    public void Garbage_is_forged(string? token) => Tokens.Check(token, Now, out _).Should().Be(TicketCheck.Forged);

    [Fact]
    public void A_short_key_is_refused() =>
        FluentActions.Invoking(() => new ClickTokens(new byte[16])).Should().Throw<ArgumentException>();
}
