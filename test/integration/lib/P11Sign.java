// SPDX-License-Identifier: Apache-2.0
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;

/* Signs a file with a token key through SunPKCS11: P11Sign CFG PIN ALIAS ALG IN OUT.
 * Exit 0 signed, 3 the token refused (the exception is printed). */
public class P11Sign {
    public static void main(String[] a) throws Exception {
        Provider p = Security.getProvider("SunPKCS11").configure(a[0]);
        KeyStore ks = KeyStore.getInstance("PKCS11", p);
        ks.load(null, a[1].toCharArray());
        PrivateKey k = (PrivateKey) ks.getKey(a[2], null);
        if (k == null) {
            System.out.println("no key " + a[2]);
            System.exit(2);
        }
        Signature s = Signature.getInstance(a[3], p);
        s.initSign(k);
        s.update(Files.readAllBytes(Paths.get(a[4])));
        try {
            Files.write(Paths.get(a[5]), s.sign());
            System.out.println("signed");
        } catch (Exception e) {
            System.out.println("refused: " + e);
            Throwable c = e.getCause();
            if (c != null)
                System.out.println("cause: " + c);
            System.exit(3);
        }
    }
}
