using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Application.Wallet;
using TaobaoAlliance.Web.Tests.Areas.Seller.ApiSecrets;
using TaobaoAlliance.Web.Tests.Areas.Seller.Reports;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Wallet;

/// <summary>
/// A payment gateway the test steers: by default it is the development gateway (approves at once); it can
/// refuse, never answer, or answer only after the deadline. Waiting is done on the app's fake clock, which
/// the gateway moves itself, so no test waits in real time.
/// </summary>
public sealed class SteeredPaymentGateway(FakeTimeProvider clock) : IPaymentGateway
{
    public enum Behaviour { Development, Refuse, NeverAnswer, AnswerAfterTheDeadline, Throw }

    private readonly DevelopmentPaymentGateway development = new();
    private int calls;

    public Behaviour Mode { get; set; } = Behaviour.Development;

    public int Calls => calls;

    /// <summary>A late approval that was never waited for; the test releases it to show it changes nothing.</summary>
    public Task? LateAnswer { get; private set; }

    public async Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken ct)
    {
        Interlocked.Increment(ref calls);
        switch (Mode)
        {
            case Behaviour.Refuse:
                return PaymentResult.Refuse("card declined by the issuing bank");
            case Behaviour.Throw:
                throw new HttpRequestException("connection refused");
            case Behaviour.NeverAnswer:
                // The deadline (10 s) passes on the app's clock while the answer never comes.
                clock.Advance(TimeSpan.FromSeconds(11));
                return await new TaskCompletionSource<PaymentResult>(TaskCreationOptions.RunContinuationsAsynchronously).Task;
            case Behaviour.AnswerAfterTheDeadline:
                // Approves after 30 s of app time, ignoring the caller's token like a careless client would.
                var late = Task.Delay(TimeSpan.FromSeconds(30), clock, CancellationToken.None);
                LateAnswer = late;
                clock.Advance(TimeSpan.FromSeconds(11));
                await late;
                return PaymentResult.Approve("late_" + request.DepositId);
            default:
                return await development.ChargeAsync(request, ct);
        }
    }
}

/// <summary>The app with the steered gateway in place of the development one.</summary>
public sealed class SellerMoneyApp : AllianceApp
{
    public SellerMoneyApp() => Gateway = new SteeredPaymentGateway(Clock);

    public SteeredPaymentGateway Gateway { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IPaymentGateway>(Gateway));
    }
}

/// <summary>Demo accounts and reading money back from the database.</summary>
public static class SellerMoneyTesting
{
    public const string Seller1 = "seller1@taobaoalliance.local", Seller1Password = "Seller1!demo";
    public const string Seller2 = "seller2@taobaoalliance.local", Seller2Password = "Seller2!demo";

    public static async Task<BrowserSession> SignedInAsync(this AllianceApp app, string email, string password)
    {
        var browser = new BrowserSession(app);
        await browser.SignInAsync(email, password);
        return browser;
    }

    public static async Task<(long SellerId, long UserId)> SellerAsync(this AllianceApp app, string email)
    {
        await using var db = app.NewDb();
        var seller = await db.Sellers.Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == email))
            .Select(s => new { s.Id, s.UserId }).SingleAsync();
        return (seller.Id, seller.UserId);
    }

    public static async Task<Money> WalletAsync(this AllianceApp app, long sellerId) =>
        await new MoneyWorld(app).BalanceAsync(AccountRef.Wallet(sellerId));

    /// <summary>Deposit entries in the journal that touch the seller's wallet.</summary>
    public static async Task<int> DepositEntriesAsync(this AllianceApp app, long sellerId)
    {
        await using var db = app.NewDb();
        return await db.JournalEntries.CountAsync(e => e.Kind == "wallet.deposit"
            && e.Lines.Any(l => db.LedgerAccounts.Any(a => a.Id == l.AccountId && a.Kind == AccountKind.SellerWallet && a.SellerId == sellerId)));
    }
}
