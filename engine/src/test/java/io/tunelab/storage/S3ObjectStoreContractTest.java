package io.tunelab.storage;

import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/** The object-store contract for the S3 store, against the embedded S3 endpoint. */
@Tag("integration")
class S3ObjectStoreContractTest extends ObjectStoreContract {
  @TempDir static Path home;
  static EmbeddedObjectStore s3;
  static ObjectStore store;

  @BeforeAll
  static void start() {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    s3 = EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab");
    store =
        ObjectStore.connect(
            new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Override
  protected ObjectStore store() {
    return store;
  }
}
